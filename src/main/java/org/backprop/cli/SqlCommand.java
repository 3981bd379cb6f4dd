package org.backprop.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.backprop.events.EventStore;
import org.backprop.events.QueryRows;
import org.backprop.events.SqlQuery;
import org.backprop.table.RowStream;
import org.backprop.store.StoreAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop sql}: one read-only query against the store. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs one read-only SQL query against the store, on a connection that cannot write.",
            "Views: runs, forward_values, losses, epoch_losses, gradients, weight_updates, epoch_sheet, sweeps, and the table",
            "function run_diff(a, b) (see the README). csv and json stream any number of rows; a table or markdown is laid out",
            "from at most " + SqlCommand.MAX_TABLE_ROWS + " rows. The query stops after --timeout seconds (default " + SqlCommand.DEFAULT_TIMEOUT
                + "), and Ctrl-C stops it where it runs."},
        footer = {"", "Examples:",
            "  backprop sql \"SELECT * FROM epoch_sheet WHERE epoch < 3\"",
            "  backprop sql \"SELECT epoch, total_error FROM epoch_losses WHERE run_id = 1\" --format csv",
            "  backprop sql \"SELECT weight, before, delta, after FROM weight_updates WHERE run_id = 1 AND epoch = 0\"",
            "  backprop sql \"SELECT * FROM gradients WHERE run_id = 2\" --format csv --timeout 600 > gradients.csv"})
final class SqlCommand implements StoreCommand {
    static final int DEFAULT_TIMEOUT = 60;
    /** Rows a table is laid out from: its column widths need all of them at once, csv and json need none. */
    static final int MAX_TABLE_ROWS = 100_000;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "QUERY", description = "One SELECT statement.")
    String query;

    @Mixin
    TableFormatOption output;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop the query after this many seconds. Default: " + DEFAULT_TIMEOUT + ".")
    int timeout = DEFAULT_TIMEOUT;

    @Override
    public StoreAccess prepare() {
        if (timeout < 1) {
            throw new BadInputException("--timeout is " + timeout + " seconds: give 1 or more");
        }
        return StoreAccess.READ;
    }

    @Override
    public int call(EventStore store) {
        PrintWriter out = spec.commandLine().getOut();
        SqlQuery q = new SqlQuery(query, Duration.ofSeconds(timeout));
        try (SignalStop stop = SignalStop.install(q::cancel)) {
            if (output.format == Format.csv || output.format == Format.json) {
                RowStream[] stream = new RowStream[1];
                try {
                    store.query(q, new QueryRows() {
                        @Override
                        public void columns(List<String> names) {
                            stream[0] = Tables.stream(output.format, out, names);
                        }

                        @Override
                        public void row(List<Object> values) {
                            stream[0].row(values);
                        }
                    });
                } finally {
                    if (stream[0] != null) {
                        stream[0].close();
                    }
                }
            } else {
                List<String> columns = new ArrayList<>();
                List<List<Object>> rows = new ArrayList<>();
                store.query(q, new QueryRows() {
                    @Override
                    public void columns(List<String> names) {
                        columns.addAll(names);
                    }

                    @Override
                    public void row(List<Object> values) {
                        if (rows.size() == MAX_TABLE_ROWS) {
                            q.cancel();
                            throw new BadInputException("the result has more than " + MAX_TABLE_ROWS + " rows, too many to lay out as a "
                                    + output.format + ": give --format csv or json, which stream any number of rows, or narrow the query");
                        }
                        rows.add(values);
                    }
                });
                Tables.print(out, output.format, columns, rows);
            }
        }
        return 0;
    }
}
