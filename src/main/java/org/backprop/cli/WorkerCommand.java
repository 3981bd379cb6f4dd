package org.backprop.cli;

import java.io.PrintWriter;
import java.time.Duration;
import org.backprop.events.EventStore;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;
import org.backprop.store.StoreAccess;
import org.backprop.sweep.Worker;
import org.backprop.table.PrintableText;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop worker}: trains the planned runs of queued sweeps, one after another, until none is left. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Trains the planned runs of queued sweeps ('sweep --queue'), one at a time, until none is left.",
            "It claims the next run nobody trains, trains and records it, and claims the next, until every queued run",
            "has ended (--wait keeps it waiting for new sweeps). Start any number of workers, on this machine or, with a",
            "team store (--db jdbc:postgresql://...), on any machines that reach it: each run goes to one of them.",
            "A run whose worker was killed shows as interrupted and is continued by the next worker, bit-identically.",
            "Ctrl-C stops after the current epoch (the run is interrupted, and the next worker continues it)."},
        footer = {"", "Examples:",
            "  plan a sweep in the team store, then start a worker on each machine:",
            "    backprop sweep --lr 0.1,0.5,1.0 --queue --db jdbc:postgresql://lab/bp",
            "    backprop worker --db jdbc:postgresql://lab/bp",
            "  a standing worker, for sweeps queued later:",
            "    backprop worker --wait --db jdbc:postgresql://lab/bp",
            "  the sweep's progress and table:",
            "    backprop sweeps 1 --db jdbc:postgresql://lab/bp"})
final class WorkerCommand implements StoreCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--sweep", paramLabel = "ID", description = "Train only this sweep's runs (default: every queued sweep's).")
    Long sweep;

    @Option(names = "--wait", description = "Once every queued run has ended, keep waiting for new ones (until Ctrl-C).")
    boolean waitForMore;

    @Option(names = "--poll", paramLabel = "SECONDS", description = "How often to look for runs to claim while none is free. Default: 2.")
    int poll = 2;

    @Option(names = {"-q", "--quiet"}, description = "No progress display.")
    boolean quiet;

    @Override
    public StoreAccess prepare() {
        if (poll < 1) {
            throw new BadInputException("--poll is " + poll + " seconds: give 1 or more");
        }
        return StoreAccess.WRITE;
    }

    @Override
    public int call(EventStore store) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (sweep != null && store.sweep(sweep).isEmpty()) {
            throw new BadInputException("there is no sweep " + sweep + " in " + store.describe() + ": 'backprop sweeps' lists them");
        }
        try (SignalStop stop = SignalStop.install()) {
            long[] current = new long[1];
            TerminalProgress[] progress = new TerminalProgress[1];
            Worker.Summary summary = new Worker(store, sweep, waitForMore, Duration.ofSeconds(poll), stop).run(new Worker.Listener() {
                @Override
                public void claimed(RunStarted run, int fromEpoch) {
                    current[0] = run.runId();
                    out.println("run " + run.runId() + " '" + PrintableText.escaped(run.config().name()) + "'" + (run.sweepId() == null ? ""
                            : " of sweep " + run.sweepId()) + ": " + (fromEpoch == 0 ? "training its " + run.config().epochs() + " epochs"
                            : "continuing from epoch " + fromEpoch + " (its worker stopped), to " + run.config().epochs()));
                    out.flush();
                    progress[0] = TerminalProgress.forTerminal(quiet, err);
                }

                @Override
                public TrainingProgress progress() {
                    return progress[0];
                }

                @Override
                public void trained(TrainingOutcome outcome) {
                    progress[0].finish();
                    current[0] = 0;
                    long id = outcome.started().runId();
                    out.println("run " + id + ": " + switch (outcome.end()) {
                        case RunCompleted done -> "completed, " + done.epochs() + " epochs recorded, final error " + outcome.lastLoss();
                        case RunFailed failed -> "failed at epoch " + failed.epoch() + ": " + PrintableText.escaped(failed.reason());
                        default -> "ended";
                    });
                    out.flush();
                }

                @Override
                public void waiting(int unfinished) {
                    out.println(unfinished > 0 ? "waiting: " + unfinished + (unfinished == 1 ? " queued run is" : " queued runs are")
                            + " being trained by other workers; this one takes over any that is interrupted"
                            : "waiting for queued sweeps (Ctrl-C stops)");
                    out.flush();
                }
            });
            if (summary.stopped()) {
                if (progress[0] != null) {
                    progress[0].finish();
                }
                out.println("stopped" + (current[0] == 0 ? "" : ": run " + current[0] + " is interrupted, and the next worker continues it")
                        + "; this worker trained " + runs(summary.trained()));
                return stop.exitCode();
            }
            out.println("worker done: trained " + runs(summary.trained()) + (summary.failed() > 0 ? " (" + summary.failed() + " failed)" : "")
                    + "; every queued run" + (sweep == null ? "" : " of sweep " + sweep) + " has ended");
            return summary.failed() > 0 ? 1 : 0;
        }
    }

    private static String runs(int n) {
        return n + (n == 1 ? " run" : " runs");
    }
}
