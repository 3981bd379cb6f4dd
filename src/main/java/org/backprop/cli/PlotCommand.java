package org.backprop.cli;

import org.backprop.table.PrintableText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.backprop.plot.Chart;
import org.backprop.plot.RunCharts;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.sweep.SweepResult;
import org.backprop.sweep.SweepTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop plot}: draws recorded runs into a PNG chart. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Draws the total error per epoch of runs (one line each, labelled by name and",
            "learning rate), or of all runs of a sweep, into a PNG file; --weights or",
            "--gradients draw every weight's value or gradient per epoch. A run longer than",
            "twice the chart's width keeps, of every few epochs, the lowest and highest",
            "value, so spikes show."},
        footer = {"", "Examples:",
            "  backprop plot 1 2 3 --out errors.png",
            "  backprop plot --sweep 1 --out sweep.png --log",
            "  backprop plot 1 --weights --out weights.png",
            "  backprop plot seed --gradients --out gradients.png --width 1600 --height 900"})
final class PlotCommand implements StoreCommand {
    /** More lines than this make a legend nobody can read. */
    static final int MAX_LINES = 64;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", arity = "0..*", description = "Runs by id or name.")
    List<String> runs = new ArrayList<>();

    @Option(names = "--sweep", paramLabel = "ID", description = "Draw every run of this sweep (the sweep_id column of 'backprop runs').")
    Long sweep;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG file to write.")
    Path out;

    @Option(names = "--log", description = "Logarithmic error axis (epochs whose error is exactly 0 cannot be drawn on it).")
    boolean log;

    @Option(names = "--weights", description = "Draw each weight and bias per epoch instead of the error.")
    boolean weights;

    @Option(names = "--gradients", description = "Draw each gradient ∂E/∂w per epoch instead of the error.")
    boolean gradients;

    @Mixin
    ChartOptions chart;

    @Option(names = "--no-align", description = "Draw every run from epoch 0, forks too (by default a fork is drawn where its history puts it:"
            + " its epoch j at its fork epoch + j).")
    boolean noAlign;

    @Override
    public StoreAccess prepare() {
        if (runs.isEmpty() && sweep == null) {
            throw new BadInputException("name the runs to draw, or give --sweep ID: such as 'backprop plot 1 2 --out errors.png'");
        }
        if (!runs.isEmpty() && sweep != null) {
            throw new BadInputException("name the runs to draw or give --sweep ID, not both: such as 'backprop plot 1 2 --out errors.png'");
        }
        if (weights && gradients) {
            throw new BadInputException("--weights and --gradients draw different charts: give one of them");
        }
        if (log && (weights || gradients)) {
            throw new BadInputException("--log is for the error, which is never negative; weights and gradients can be: leave out --log");
        }
        chart.check(out, "--out");
        return StoreAccess.READ;
    }

    @Override
    public int call(EventStore runStore) {
        List<Long> ids = sweep != null ? sweepRuns(runStore, sweep) : resolve(runStore);
        Chart drawn;
        if (weights || gradients) {
            int lines = RunCharts.lineCount(runStore, ids);
            if (lines > MAX_LINES) {
                throw new BadInputException("that chart would have " + lines + " lines (one per weight and bias of each run); it draws at most "
                        + MAX_LINES + ": plot fewer runs, or query the weight_updates and gradients views");
            }
            drawn = RunCharts.values(runStore, ids, weights ? RunCharts.Values.WEIGHTS : RunCharts.Values.GRADIENTS, chart.width, chart.height,
                    !noAlign);
        } else {
            String title = sweep != null ? sweepTitle(sweep, runStore.sweep(sweep).orElseThrow().chained()) + progress(runStore, sweep)
                    : "Total error per epoch: " + (ids.size() == 1 ? "run " : "runs ") + String.join(", ", ids.stream().map(String::valueOf).toList());
            drawn = RunCharts.error(runStore, ids, title, log, chart.width, chart.height, !noAlign);
        }
        ChartOptions.write(drawn, out);
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + out + " (" + chart.width + "x" + chart.height + " pixels): " + PrintableText.escaped(drawn.title()));
        return 0;
    }

    static String sweepTitle(long sweepId, boolean chained) {
        return "Sweep " + sweepId + (chained ? ", chained (each rate from the previous run's final weights)"
                : ", independent (every rate from the same initial weights)") + ": total error per epoch";
    }

    /** For a sweep whose runs have not all ended (a queued one that workers train): how far they are, after a '; '. */
    private static String progress(EventStore runStore, long sweepId) {
        String progress = SweepTable.progress(SweepResult.recorded(runStore, sweepId).orElseThrow());
        return progress == null ? "" : "; " + progress;
    }

    private static List<Long> sweepRuns(EventStore runStore, long sweepId) {
        if (runStore.sweep(sweepId).isEmpty()) {
            throw new BadInputException("there is no sweep " + sweepId + " in " + runStore.describe()
                    + ": the sweep_id column of 'backprop runs' lists them");
        }
        List<Long> ids = runStore.sweepRuns(sweepId);
        if (ids.isEmpty()) {
            throw new BadInputException("sweep " + sweepId + " has no runs to draw");
        }
        return ids;
    }

    private List<Long> resolve(EventStore runStore) {
        Set<Long> ids = new LinkedHashSet<>();
        for (String run : runs) {
            if (!ids.add(runStore.resolve(run))) {
                throw new BadInputException("run " + run + " is named twice: name each run once");
            }
        }
        return List.copyOf(ids);
    }
}
