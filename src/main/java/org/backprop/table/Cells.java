package org.backprop.table;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;

/**
 * How one value of a table is written, the same for every command and the web page: doubles in full (Java's shortest
 * round-trip form), bytes as hex, null as nothing; in JSON, numbers as numbers and non-finite doubles as strings.
 */
public final class Cells {
    private Cells() {
    }

    /** The value as the command line prints it. */
    public static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        return String.valueOf(v);
    }

    /**
     * A CSV cell: control characters escaped (so that no cell printed on a terminal can act on it, see
     * {@link PrintableText}), then quoted when it holds a comma or a quote.
     */
    public static String csvCell(String raw) {
        String s = PrintableText.escaped(raw);
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /** The value as JSON. */
    public static void writeJson(JsonGenerator g, Object v) throws IOException {
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
                    writeJson(g, d);
                }
                g.writeEndArray();
            }
            case List<?> list -> {
                g.writeStartArray();
                for (Object o : list) {
                    writeJson(g, o);
                }
                g.writeEndArray();
            }
            default -> g.writeString(text(v));
        }
    }
}
