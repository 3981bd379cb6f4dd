package org.backprop.cli;

import java.io.PrintWriter;
import java.util.List;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.table.PrintableText;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;

/**
 * What a command that trains prints of its run: the run's header line as soon as the run is recorded (so a long run's
 * id is known while it trains, and a killed run's output is not empty), the progress display meanwhile, then how the
 * run ended, with hints that name the store the command was given.
 */
final class RunReport implements TrainingProgress {
    private final PrintWriter out;
    private final TrainingProgress progress;
    private final String db;
    private final boolean quietHeader;
    private final String before;
    private RunStarted started;
    private int lastEpoch = -1;

    /**
     * @param db what the hints add to name the store (" --db PATH"), or "" for the default store
     * @param quietHeader true for JSON output, which is one document and has no header line
     * @param before a line printed before the header (what a fork or resume does), or null
     */
    RunReport(PrintWriter out, TrainingProgress progress, String db, boolean quietHeader, String before) {
        this.out = out;
        this.progress = progress;
        this.db = db;
        this.quietHeader = quietHeader;
        this.before = before;
    }

    @Override
    public void runStarted(RunStarted run, int from) {
        this.started = run;
        if (!quietHeader) {
            if (before != null) {
                out.println(before);
            }
            out.println(header(run));
            out.flush();
        }
        progress.runStarted(run, from);
    }

    @Override
    public void epochDone(int epoch, int total, double loss) {
        lastEpoch = epoch;
        progress.epochDone(epoch, total, loss);
    }

    /**
     * Says when another run of the store has the name a person gave this one (names the tool makes are unique): the run
     * is recorded all the same, and is named by its id from then on.
     */
    static void warnIfNameTaken(org.backprop.events.EventStore store, String name, PrintWriter err) {
        List<Long> others = store.runs().stream().filter(r -> r.name().equals(name)).map(org.backprop.events.RunSummary::runId).toList();
        if (!others.isEmpty()) {
            err.println("backprop: warning: run" + (others.size() == 1 ? " " + others.get(0) + " is" : "s " + others + " are") + " named '"
                    + PrintableText.escaped(name) + "' too: name this run by its id in replay, diff and state");
            err.flush();
        }
    }

    /** The run's first line: "run 1 'seed': network 2-2-2 (sigmoid, sigmoid), learning rate 0.1, 100 epochs planned". */
    static String header(RunStarted run) {
        RunConfig c = run.config();
        return String.format("run %d '%s': network %s (%s), learning rate %s, %d epochs planned", run.runId(), PrintableText.escaped(c.name()),
                c.network().shape(), String.join(", ", c.network().activations().stream().map(a -> a.label()).toList()), c.learningRate(),
                c.epochs());
    }

    /**
     * Trains, and when the store fails or goes away meanwhile, says first what is known of the run and how to go on;
     * the error itself is then said by {@code Main}, in its own line, with exit code 1.
     */
    TrainingOutcome training(java.util.function.Supplier<TrainingOutcome> train) {
        try {
            return train.get();
        } catch (org.backprop.events.StoreLostException | org.backprop.events.StoreFaultException e) {
            interruptedByTheStore();
            throw e;
        }
    }

    /**
     * When the store failed or went away under the run: what is known of it, and how to go on. The error itself is then
     * said by the caller, in its own line, with exit code 1.
     */
    void interruptedByTheStore() {
        if (started == null || quietHeader) {
            return;
        }
        out.printf("interrupted by the store: %d of %d epochs trained; what was committed before is kept%n", lastEpoch + 1,
                started.config().epochs());
        out.printf("resume it:  backprop resume %d%s%n", started.runId(), db);
        out.flush();
    }

    /** How the run ended, after the header, for a run trained here from epoch {@code from} (0, unless it was resumed). */
    void outcome(TrainingOutcome o, int from) {
        RunConfig c = o.started().config();
        long id = o.started().runId();
        switch (o.end()) {
            case null -> {
                out.printf("interrupted: %d of %d epochs recorded%n", o.epochsRecorded(), c.epochs());
                if (o.epochsRecorded() > from) {
                    out.printf("loss: epoch %d %s -> epoch %d %s%n", from, o.firstLoss(), o.epochsRecorded() - 1, o.lastLoss());
                }
                out.printf("resume it:  backprop resume %d%s%n", id, db);
                return;
            }
            case RunCompleted done -> {
                out.printf("completed: %d epochs recorded%s%n", done.epochs(), done.reason() == null ? "" : " (" + PrintableText.escaped(done.reason()) + ")");
                if (done.epochs() > from) {
                    out.printf("loss: epoch %d %s -> epoch %d %s%n", from, o.firstLoss(), done.epochs() - 1, o.lastLoss());
                }
                printParameters(out, "final weights", done.finalParameters());
            }
            case RunFailed failed -> {
                out.printf("FAILED: %s%n", PrintableText.escaped(failed.reason()));
                out.printf("%d epochs recorded before it%s%n", o.epochsRecorded(),
                        o.epochsRecorded() > from ? String.format(" (loss %s -> %s)", o.firstLoss(), o.lastLoss()) : "");
            }
            default -> throw new IllegalStateException("a training run ends completed or failed, not " + o.end());
        }
        out.printf("replay it:  backprop replay %d%s%n", id, db);
        out.printf("query it:   backprop sql \"SELECT * FROM %s WHERE run_id = %d AND epoch < 3\"%s%n",
                c.network().isSeedShaped(c.data().sampleCount()) ? "epoch_sheet" : "epoch_losses", id, db);
    }

    private static void printParameters(PrintWriter out, String label, Parameters p) {
        int shown = Math.min(p.weightCount(), 16);
        StringBuilder b = new StringBuilder(label).append(':');
        for (int i = 0; i < shown; i++) {
            b.append(i % 4 == 0 ? "\n  " : "  ").append('w').append(i + 1).append(" = ").append(p.weight(i));
        }
        if (shown < p.weightCount()) {
            b.append("\n  ... ").append(p.weightCount() - shown).append(" more (backprop state RUN --final shows them all)");
        }
        for (int i = 0; i < Math.min(p.biasCount(), 8); i++) {
            b.append(i % 4 == 0 ? "\n  " : "  ").append('b').append(i + 1).append(" = ").append(p.bias(i));
        }
        out.println(b);
    }
}
