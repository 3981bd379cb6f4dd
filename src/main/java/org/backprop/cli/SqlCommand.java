package org.backprop.cli;

import org.backprop.events.QueryResult;
import org.backprop.events.EventStore;
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
            "Views: runs, forward_values, losses, epoch_losses, gradients, weight_updates, epoch_sheet (see the README)."},
        footer = {"", "Examples:",
            "  backprop sql \"SELECT * FROM epoch_sheet WHERE epoch < 3\"",
            "  backprop sql \"SELECT epoch, total_error FROM epoch_losses WHERE run_id = 1\" --format csv",
            "  backprop sql \"SELECT weight, before, delta, after FROM weight_updates WHERE run_id = 1 AND epoch = 0\""})
final class SqlCommand implements StoreCommand {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "QUERY", description = "One SELECT statement.")
    String query;

    @Mixin
    TableFormatOption output;

    @Override
    public StoreAccess prepare() {
        return StoreAccess.READ;
    }

    @Override
    public int call(EventStore runStore) {
        QueryResult result = runStore.query(query);
        Tables.print(spec.commandLine().getOut(), output.format, result.columns(), result.rows());
        return 0;
    }
}
