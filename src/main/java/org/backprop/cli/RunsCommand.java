package org.backprop.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.backprop.store.RunStore;
import org.backprop.store.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop runs}: lists the recorded runs. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "Lists the runs in the store, oldest first, with their status (running, completed, failed, interrupted).",
        footer = {"", "Examples:", "  backprop runs", "  backprop runs --format csv > runs.csv", "  backprop runs --db other-store --format json"})
final class RunsCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Spec
    CommandSpec spec;

    @Mixin
    TableFormatOption output;

    @Override
    public Integer call() {
        try (RunStore runStore = store.openExisting()) {
            List<RunSummary> runs = runStore.runs();
            List<List<Object>> rows = new ArrayList<>();
            for (RunSummary r : runs) {
                rows.add(r.row());
            }
            if (output.format == Format.table && runs.isEmpty()) {
                spec.commandLine().getOut().println("no runs in " + runStore.location().describe() + " yet: 'backprop train' records one");
                return 0;
            }
            Tables.print(spec.commandLine().getOut(), output.format, RunSummary.COLUMNS, rows);
            return 0;
        }
    }
}
