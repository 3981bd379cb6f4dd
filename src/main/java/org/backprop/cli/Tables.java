package org.backprop.cli;

import org.backprop.table.PrintableText;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.backprop.table.Cells;
import org.backprop.table.RowStream;

/** Prints rows of values as an aligned table, CSV, JSON or Markdown; doubles always in full, round-trip precision. */
final class Tables {
    private Tables() {
    }

    static void print(PrintWriter out, Format format, List<String> columns, List<? extends List<?>> rows) {
        switch (format) {
            case table -> table(out, columns, rows);
            case csv, json -> {
                try (RowStream stream = stream(format, out, columns)) {
                    rows.forEach(stream::row);
                }
            }
            case markdown -> markdown(out, columns, rows);
        }
    }

    /** Rows written one at a time, for tables too long to hold: csv or json. */
    static RowStream stream(Format format, PrintWriter out, List<String> columns) {
        return switch (format) {
            case csv -> RowStream.csv(out, columns);
            case json -> RowStream.json(out, columns);
            default -> throw new IllegalArgumentException("rows stream as csv or json, not " + format);
        };
    }

    /** A value as a table, CSV or Markdown cell shows it: as {@link #text}, with control characters escaped. */
    static String shown(Object v) {
        return PrintableText.escaped(text(v));
    }

    /** A value as text: bytes in hex, null as nothing (JSON writes the text as it is; its encoder escapes it). */
    static String text(Object v) {
        return Cells.text(v);
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
        Cells.writeJson(g, v);
    }
}
