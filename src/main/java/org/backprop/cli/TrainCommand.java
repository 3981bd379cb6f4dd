package org.backprop.cli;

import org.backprop.table.PrintableText;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunFailed;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop train}: trains one run and records every epoch. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a network by backpropagation and records every epoch in the store.",
            "Without --config it trains the seed tutorial's network: layers 2-2-2, sigmoid hidden and output neurons,",
            "inputs (0.05, 0.1), targets (0.5, 0.5), weights 0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55."},
        footer = {"", "Examples:",
            "  backprop train                                    the seed run: learning rate 0.1, 100 epochs",
            "  backprop train --lr 2.0 --epochs 500 --name fast",
            "  backprop train --config scripts/examples/xor.json --epochs 5000",
            "  backprop train --format json                      machine-readable summary"})
final class TrainCommand implements StoreCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE.json", description = "Run configuration file (format in the README).")
    Path config;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate η (overrides the file; default 0.1 for the seed run).")
    Double learningRate;

    @Option(names = "--epochs", paramLabel = "N", description = "Number of epochs (overrides the file; default 100 for the seed run).")
    Integer epochs;

    @Option(names = "--name", description = "Name of the run (overrides the file; default 'seed' or the file's name).")
    String name;

    @Mixin
    TrainingOutputOptions output;

    /** What to train; set by {@link #prepare()}. */
    private RunConfig runConfig;

    @Override
    public StoreAccess prepare() {
        output.check("train");
        runConfig = configure();
        PrintableText.checkPrintable("the run name", runConfig.name());
        return StoreAccess.CREATE;
    }

    @Override
    public int call(EventStore runStore) {
        PrintWriter out = spec.commandLine().getOut();
        try (SignalStop stop = SignalStop.install()) {
            TerminalProgress progress = output.progress(spec.commandLine().getErr());
            TrainingOutcome outcome = new Trainer(runStore).train(runConfig, null, null, progress, stop);
            progress.finish();
            if (output.json()) {
                out.println(json(outcome));
            } else {
                print(out, outcome);
            }
            return exitCode(outcome, stop);
        }
    }

    /** 0 completed, 1 failed (diverged), or the stopping signal's code (130 for Ctrl-C) when interrupted. */
    static int exitCode(TrainingOutcome outcome, SignalStop stop) {
        return outcome.interrupted() ? stop.exitCode() : outcome.end() instanceof RunFailed ? 1 : 0;
    }

    private RunConfig configure() {
        if (learningRate != null) {
            RunConfig.checkLearningRate(learningRate);
        }
        if (epochs != null) {
            RunConfig.checkEpochs(epochs);
        }
        RunConfig c = config != null ? RunConfigFile.read(config, name, learningRate, epochs) : RunConfig.seed();
        if (config == null) {
            c = c.withName(name != null ? name : c.name())
                    .withLearningRate(learningRate != null ? learningRate : c.learningRate())
                    .withEpochs(epochs != null ? epochs : c.epochs());
        }
        return c;
    }

    static void print(PrintWriter out, TrainingOutcome o) {
        print(out, o, 0);
    }

    /** Prints the outcome of training from epoch {@code from} on (0, unless a run was resumed). */
    static void print(PrintWriter out, TrainingOutcome o, int from) {
        RunConfig c = o.started().config();
        long id = o.started().runId();
        out.printf("run %d '%s': network %s (%s), learning rate %s, %d epochs planned%n", id, PrintableText.escaped(c.name()), c.network().shape(),
                String.join(", ", c.network().activations().stream().map(a -> a.label()).toList()), c.learningRate(), c.epochs());
        switch (o.end()) {
            case null -> {
                out.printf("interrupted: %d of %d epochs recorded%n", o.epochsRecorded(), c.epochs());
                if (o.epochsRecorded() > from) {
                    out.printf("loss: epoch %d %s -> epoch %d %s%n", from, o.firstLoss(), o.epochsRecorded() - 1, o.lastLoss());
                }
                out.printf("resume it:  backprop resume %d%n", id);
                return;
            }
            case RunCompleted done -> {
                out.printf("completed: %d epochs recorded%n", done.epochs());
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
        out.printf("replay it:  backprop replay %d%n", id);
        out.printf("query it:   backprop sql \"SELECT * FROM %s WHERE run_id = %d AND epoch < 3\"%n",
                c.network().isSeedShaped(c.data().sampleCount()) ? "epoch_sheet" : "epoch_losses", id);
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

    static String json(TrainingOutcome o) {
        return json(o, false);
    }

    /** The summary as JSON; with {@code lineage}, a fork's parent run and fork epoch last. */
    static String json(TrainingOutcome o, boolean lineage) {
        return Tables.prettyJson(g -> {
            RunConfig c = o.started().config();
            g.writeStartObject();
            g.writeNumberField("runId", o.started().runId());
            g.writeStringField("name", c.name());
            g.writeStringField("layers", c.network().shape());
            g.writeNumberField("learningRate", c.learningRate());
            g.writeNumberField("epochs", c.epochs());
            g.writeNumberField("epochsRecorded", o.epochsRecorded());
            g.writeFieldName("firstLoss");
            Tables.writeValue(g, o.firstLoss());
            g.writeFieldName("lastLoss");
            Tables.writeValue(g, o.lastLoss());
            switch (o.end()) {
                case null -> g.writeStringField("status", "interrupted");
                case RunCompleted done -> {
                    g.writeStringField("status", "completed");
                    g.writeFieldName("finalWeights");
                    Tables.writeValue(g, done.finalParameters().weights());
                    g.writeFieldName("finalBiases");
                    Tables.writeValue(g, done.finalParameters().biases());
                }
                case RunFailed failed -> {
                    g.writeStringField("status", "failed");
                    g.writeNumberField("failedEpoch", failed.epoch());
                    g.writeStringField("reason", failed.reason());
                }
                default -> throw new IllegalStateException("a training run ends completed or failed, not " + o.end());
            }
            if (lineage && o.started().lineage() != null) {
                g.writeNumberField("parentRunId", o.started().lineage().parentRunId());
                g.writeNumberField("forkEpoch", o.started().lineage().forkEpoch());
            }
            g.writeEndObject();
        });
    }
}
