package org.backprop.table;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes rows one at a time, as CSV or as a JSON array of objects, each cell as {@link Cells} writes it; for tables too
 * long to hold in memory, such as every epoch of a long run.
 */
public abstract class RowStream implements AutoCloseable {
    final PrintWriter out;
    final List<String> columns;

    private RowStream(PrintWriter out, List<String> columns) {
        this.out = out;
        this.columns = columns;
    }

    /** CSV: a header line of the column names, then one line a row. */
    public static RowStream csv(PrintWriter out, List<String> columns) {
        return new Csv(out, columns);
    }

    /** A JSON array with one object a row, keyed by the column names. */
    public static RowStream json(PrintWriter out, List<String> columns) {
        return new Json(out, columns);
    }

    /** Writes one row: one value per column, in the columns' order. */
    public abstract void row(List<?> values);

    @Override
    public abstract void close();

    private static final class Csv extends RowStream {
        private final StringBuilder line = new StringBuilder();

        Csv(PrintWriter out, List<String> columns) {
            super(out, columns);
            out.println(String.join(",", columns.stream().map(Cells::csvCell).toList()));
        }

        @Override
        public void row(List<?> values) {
            line.setLength(0);
            for (int c = 0; c < values.size(); c++) {
                line.append(c == 0 ? "" : ",").append(Cells.csvCell(Cells.text(values.get(c))));
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
        public void row(List<?> values) {
            try {
                g.writeStartObject();
                for (int c = 0; c < columns.size(); c++) {
                    g.writeFieldName(columns.get(c));
                    Cells.writeJson(g, values.get(c));
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
