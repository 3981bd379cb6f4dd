package org.backprop.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes rows one at a time, as CSV or as a JSON array of objects, in the same form as {@link Tables}; for tables too
 * long to hold in memory, such as every epoch of a long run.
 */
abstract class RowStream implements AutoCloseable {
    final PrintWriter out;
    final List<String> columns;

    private RowStream(PrintWriter out, List<String> columns) {
        this.out = out;
        this.columns = columns;
    }

    static RowStream of(Format format, PrintWriter out, List<String> columns) {
        return switch (format) {
            case csv -> new Csv(out, columns);
            case json -> new Json(out, columns);
            default -> throw new IllegalArgumentException("rows stream as csv or json, not " + format);
        };
    }

    abstract void row(List<?> values);

    @Override
    public abstract void close();

    private static final class Csv extends RowStream {
        private final StringBuilder line = new StringBuilder();

        Csv(PrintWriter out, List<String> columns) {
            super(out, columns);
            out.println(String.join(",", columns.stream().map(Tables::csvCell).toList()));
        }

        @Override
        void row(List<?> values) {
            line.setLength(0);
            for (int c = 0; c < values.size(); c++) {
                line.append(c == 0 ? "" : ",").append(Tables.csvCell(Tables.text(values.get(c))));
            }
            out.println(line);
        }

        @Override
        public void close() {
            out.flush();
        }
    }

    private static final class Json extends RowStream {
        private final JsonGenerator g;

        Json(PrintWriter out, List<String> columns) {
            super(out, columns);
            try {
                g = new JsonFactory().createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.useDefaultPrettyPrinter();
                g.writeStartArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void row(List<?> values) {
            try {
                g.writeStartObject();
                for (int c = 0; c < columns.size(); c++) {
                    g.writeFieldName(columns.get(c));
                    Tables.writeValue(g, values.get(c));
                }
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                g.writeEndArray();
                g.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.println();
            out.flush();
        }
    }
}
