package org.backprop.cli;

import org.backprop.table.PrintableText;
import java.io.PrintWriter;
import org.backprop.events.RunFailed;
import org.backprop.model.RunConfig;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.sweep.Fork;
import org.backprop.sweep.ForkRequest;
import org.backprop.training.TrainingOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop fork}: a new run from the weights a recorded run had at the start of one of its epochs. */
@Command(name = "fork", mixinStandardHelpOptions = true,
        description = {"Starts a new run from the weights in force at the start of epoch EPOCH of RUN,",
            "with its own learning rate and length. The fork records its parent and fork",
            "epoch (runs.parent_run_id, runs.fork_epoch), copies none of the parent's epochs,",
            "and numbers its own from 0: its epoch j is epoch EPOCH + j of the history.",
            "Given the parent's learning rate, a fork continues exactly as the parent did."},
        footer = {"", "Examples:",
            "  run 1 from its epoch 50 again, at learning rate 0.5:",
            "    backprop fork 1 --at 50 --lr 0.5",
            "  continue run 1 (100 epochs) after its last update, for 400 more epochs:",
            "    backprop fork 1 --at 100 --epochs 400",
            "    backprop fork seed --at 0 --lr 2.0 --name fast"})
final class ForkCommand implements StoreCommand {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "The parent run, by id or name.")
    String run;

    @Option(names = "--at", required = true, paramLabel = "EPOCH",
            description = "Fork from the weights in force at the start of this epoch of RUN (its epoch count = after its last update).")
    int at;

    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate of the fork (default: the parent's).")
    Double learningRate;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Epochs of the fork (default: the parent's planned epochs after EPOCH, or all of them when forking at its end).")
    Integer epochs;

    @Option(names = "--name", description = "Name of the fork (default PARENT-atEPOCH).")
    String name;

    @Option(names = "--until-loss", paramLabel = "LOSS", description = "Stop, completed, after the first epoch whose loss is below LOSS"
            + " (default: the parent's, if it had one).")
    Double untilLoss;

    @Mixin
    TrainingOutputOptions output;

    @Override
    public StoreAccess prepare() {
        output.check("fork");
        PrintableText.checkPrintable("the run name", name);
        if (learningRate != null) {
            RunConfig.checkLearningRate(learningRate);
        }
        if (epochs != null) {
            RunConfig.checkEpochs(epochs);
        }
        if (untilLoss != null) {
            RunConfig.checkUntilLoss(untilLoss);
        }
        return StoreAccess.WRITE;
    }

    @Override
    public int call(EventStore runStore) {
        PrintWriter out = spec.commandLine().getOut();
        long parent = runStore.resolve(run);
        ForkRequest request = new ForkRequest(parent, at, learningRate, epochs, name, untilLoss);
        Fork fork = new Fork(runStore);
        if (name != null) {
            RunReport.warnIfNameTaken(runStore, name, spec.commandLine().getErr());
        }
        try (SignalStop stop = SignalStop.install()) {
            TerminalProgress progress = output.progress(spec.commandLine().getErr());
            RunReport report = output.report(spec, progress, "fork of run " + parent + " at epoch " + at + ": starts from the weights"
                    + " in force at the start of run " + parent + "'s epoch " + at + "; its own epochs count from 0");
            TrainingOutcome outcome = report.training(() -> fork.run(request, null, report, stop));
            progress.finish();
            if (output.json()) {
                out.println(TrainCommand.json(outcome, true));
            } else {
                report.outcome(outcome, 0);
            }
            return TrainCommand.exitCode(outcome, stop);
        }
    }
}
