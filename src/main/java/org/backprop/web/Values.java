package org.backprop.web;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.backprop.plot.Series;
import org.backprop.table.Cells;

/**
 * How the page is sent numbers: every recorded value as the text the command line prints (Java's shortest round-trip
 * form), since JavaScript would print some doubles differently; the page reads them back exactly with Number().
 */
final class Values {
    private Values() {
    }

    /** A double as the command line prints it, or null. */
    static void field(JsonGenerator g, String name, Double value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeString(Cells.text(value));
        }
    }

    static void value(JsonGenerator g, double value) throws IOException {
        g.writeString(Cells.text(value));
    }

    static void nullableNumber(JsonGenerator g, String name, Number value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeNumber(value.longValue());
        }
    }

    /** A thinned line: its epochs as numbers ({@code x}, offset by {@code offset}) and its values as text ({@code y}). */
    static void series(JsonGenerator g, Series s, int offset) throws IOException {
        g.writeArrayFieldStart("x");
        for (int i = 0; i < s.size(); i++) {
            g.writeNumber((long) s.x(i) + offset);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("y");
        for (int i = 0; i < s.size(); i++) {
            value(g, s.y(i));
        }
        g.writeEndArray();
    }
}
