package org.backprop.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.backprop.events.EventStore;
import org.backprop.events.RunSummary;
import org.backprop.events.SweepRecord;
import org.backprop.store.StoreAccess;
import org.backprop.sweep.SweepResult;
import org.backprop.sweep.SweepTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop sweeps}: the recorded sweeps and how far their runs are; with an id, that sweep's results table. */
@Command(name = "sweeps", mixinStandardHelpOptions = true,
        description = {"Lists the sweeps in the store and how far their runs are.",
            "For each sweep: how many of its runs are completed, failed, running, interrupted or planned (a queued",
            "sweep's runs that no worker has begun). With a sweep id, prints its results table as 'sweep' printed it,",
            "with the status of every run that has not ended yet."},
        footer = {"", "Examples:", "  backprop sweeps", "  backprop sweeps 2", "  backprop sweeps 2 --format json"})
final class SweepsCommand implements StoreCommand {
    static final List<String> COLUMNS = List.of("sweep_id", "chained", "runs", "completed", "failed", "running", "interrupted", "planned",
            "created_at");

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SWEEP", arity = "0..1", description = "A sweep's id (the sweep_id column): print its table.")
    Long sweep;

    @Mixin
    TableFormatOption output;

    @Override
    public StoreAccess prepare() {
        return StoreAccess.READ;
    }

    @Override
    public int call(EventStore store) {
        PrintWriter out = spec.commandLine().getOut();
        if (sweep != null) {
            SweepResult result = SweepResult.recorded(store, sweep).orElseThrow(() -> new BadInputException("there is no sweep " + sweep + " in "
                    + store.describe() + ": 'backprop sweeps' lists them"));
            SweepCommand.print(out, output.format, result, SweepTable.base(result));
            return 0;
        }
        Map<Long, int[]> counts = new LinkedHashMap<>();
        for (RunSummary r : store.runs()) {
            if (r.sweepId() != null) {
                int[] c = counts.computeIfAbsent(r.sweepId(), id -> new int[6]);
                c[0]++;
                switch (r.status()) {
                    case "completed" -> c[1]++;
                    case "failed" -> c[2]++;
                    case "running" -> c[3]++;
                    case "interrupted" -> c[4]++;
                    default -> c[5]++;
                }
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        counts.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            SweepRecord s = store.sweep(e.getKey()).orElseThrow();
            int[] c = e.getValue();
            rows.add(List.of(s.sweepId(), s.chained(), c[0], c[1], c[2], c[3], c[4], c[5], s.createdAt().toString()));
        });
        if (output.format == Format.table && rows.isEmpty()) {
            out.println("no sweeps in " + store.describe() + " yet: 'backprop sweep --lr 0.1,0.5' records one");
            return 0;
        }
        Tables.print(out, output.format, COLUMNS, rows);
        return 0;
    }
}
