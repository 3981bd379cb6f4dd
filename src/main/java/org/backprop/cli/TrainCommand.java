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

    @Option(names = "--until-loss", paramLabel = "LOSS", description = "Stop, completed, after the first epoch whose loss is below LOSS"
            + " (recorded with the reason and the epoch).")
    Double untilLoss;

    @Mixin
    TrainingOutputOptions output;

    /** What to train; set by {@link #prepare()}. */
    private RunConfig runConfig;

    @Override
    public StoreAccess prepare() {
        output.check("train");
        runConfig = configure();
        if (untilLoss != null) {
            RunConfig.checkUntilLoss(untilLoss);
            runConfig = runConfig.withUntilLoss(untilLoss);
        }
        PrintableText.checkPrintable("the run name", runConfig.name());
        return StoreAccess.CREATE;
    }

    @Override
    public int call(EventStore runStore) {
        PrintWriter out = spec.commandLine().getOut();
        if (name != null || config != null) {
            RunReport.warnIfNameTaken(runStore, runConfig.name(), spec.commandLine().getErr());
        }
        try (SignalStop stop = SignalStop.install()) {
            TerminalProgress progress = output.progress(spec.commandLine().getErr());
            RunReport report = output.report(spec, progress, null);
            TrainingOutcome outcome = report.training(() -> new Trainer(runStore).train(runConfig, null, null, report, stop));
            progress.finish();
            if (output.json()) {
                out.println(json(outcome));
            } else {
                report.outcome(outcome, 0);
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
