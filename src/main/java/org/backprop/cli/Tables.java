package org.backprop.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Prints rows of values as an aligned table, CSV, JSON or Markdown; doubles always in full, round-trip precision. */
final class Tables {
    private Tables() {
    }

    static void print(PrintWriter out, Format format, List<String> columns, List<? extends List<?>> rows) {
        switch (format) {
            case table -> table(out, columns, rows);
            case csv, json -> {
                try (RowStream stream = RowStream.of(format, out, columns)) {
                    rows.forEach(stream::row);
                }
            }
            case markdown -> markdown(out, columns, rows);
        }
    }

    /** A value as a table, CSV or Markdown cell shows it: as {@link #text}, with control characters escaped. */
    static String shown(Object v) {
        return PrintableText.escaped(text(v));
    }

    /** A value as text: bytes in hex, null as nothing (JSON writes the text as it is; its encoder escapes it). */
    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        return String.valueOf(v);
    }

    private static void table(PrintWriter out, List<String> columns, List<? extends List<?>> rows) {
        int[] width = new int[columns.size()];
        List<String[]> cells = new ArrayList<>(rows.size());
        for (int c = 0; c < columns.size(); c++) {
            width[c] = PrintableText.escaped(columns.get(c)).length();
        }
        for (List<?> row : rows) {
            String[] r = new String[columns.size()];
            for (int c = 0; c < r.length; c++) {
                r[c] = shown(row.get(c));
                width[c] = Math.max(width[c], r[c].length());
            }
            cells.add(r);
        }
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            line.append(c == 0 ? "" : "  ").append(pad(PrintableText.escaped(columns.get(c)), width[c], false));
        }
        out.println(line.toString().stripTrailing());
        for (String[] r : cells) {
            line.setLength(0);
            for (int c = 0; c < r.length; c++) {
                line.append(c == 0 ? "" : "  ").append(pad(r[c], width[c], isNumber(r[c])));
            }
            out.println(line.toString().stripTrailing());
        }
        if (rows.isEmpty()) {
            out.println("(no rows)");
        }
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && (Character.isDigit(s.charAt(0)) || (s.charAt(0) == '-' && s.length() > 1 && Character.isDigit(s.charAt(1))));
    }

    private static String pad(String s, int width, boolean right) {
        if (s.length() >= width) {
            return s;
        }
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }

    /** A CSV cell: escaped as {@link #shown} is, then quoted when it holds a comma or a quote. */
    static String csvCell(String raw) {
        String s = PrintableText.escaped(raw);
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    private static void markdown(PrintWriter out, List<String> columns, List<? extends List<?>> rows) {
        out.println("| " + String.join(" | ", columns.stream().map(c -> PrintableText.escaped(c).replace("|", "\\|")).toList()) + " |");
        out.println("|" + "---|".repeat(columns.size()));
        for (List<?> row : rows) {
            out.println("| " + String.join(" | ", row.stream().map(v -> shown(v).replace("|", "\\|")).toList()) + " |");
        }
    }

    /** What writes one JSON document. */
    @FunctionalInterface
    interface JsonBody {
        void write(JsonGenerator g) throws IOException;
    }

    /** One JSON document, pretty-printed, as a string. */
    static String prettyJson(JsonBody body) {
        StringWriter s = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(s)) {
            g.useDefaultPrettyPrinter();
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s.toString();
    }

    static void writeValue(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case Double d when !Double.isFinite(d) -> g.writeString(d.toString());
            case Double d -> g.writeNumber(d);
            case Float f -> g.writeNumber(f);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case Short i -> g.writeNumber(i);
            case java.math.BigDecimal d -> g.writeNumber(d);
            case java.math.BigInteger d -> g.writeNumber(d);
            case Boolean b -> g.writeBoolean(b);
            case double[] a -> {
                g.writeStartArray();
                for (double d : a) {
                    writeValue(g, d);
                }
                g.writeEndArray();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object o : list) {
                    writeValue(g, o);
                }
                g.writeEndArray();
            }
            default -> g.writeString(text(v));
        }
    }
}
