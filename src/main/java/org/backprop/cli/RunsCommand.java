package org.backprop.cli;

import java.util.ArrayList;
import java.util.List;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.events.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop runs}: lists the recorded runs. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Lists the runs in the store, oldest first, with their status (running, completed, failed, interrupted).",
        footer = {"", "Examples:", "  backprop runs", "  backprop runs --format csv > runs.csv", "  backprop runs --db other-store --format json"})
final class RunsCommand implements StoreCommand {
    @Spec
    CommandSpec spec;

    @Mixin
    TableFormatOption output;

    @Override
    public StoreAccess prepare() {
        return StoreAccess.READ;
    }

    @Override
    public int call(EventStore runStore) {
        List<RunSummary> runs = runStore.runs();
        List<List<Object>> rows = new ArrayList<>();
        for (RunSummary r : runs) {
            rows.add(r.row());
        }
        if (output.format == Format.table && runs.isEmpty()) {
            spec.commandLine().getOut().println("no runs in " + runStore.describe() + " yet: 'backprop train' records one");
            return 0;
        }
        Tables.print(spec.commandLine().getOut(), output.format, RunSummary.COLUMNS, rows);
        return 0;
    }
}
