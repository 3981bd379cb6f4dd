package org.backprop.cli;

import java.io.PrintWriter;
import org.backprop.events.RunRecorder;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop resume}: continues an interrupted run where its recorded epochs end. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Continues an interrupted run (its process was killed, stopped with Ctrl-C, or lost the store) from its",
            "last complete epoch to its planned length. Every value is bit-identical to a run that was never interrupted."},
        footer = {"", "Examples:",
            "  backprop runs                        status 'interrupted' marks the runs to resume",
            "  backprop resume 7",
            "  backprop resume seed --format json   by unique name, machine-readable summary"})
final class ResumeCommand implements StoreCommand {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", description = "The run's id, or its name when no other run has it.")
    String run;

    @Mixin
    TrainingOutputOptions output;

    @Override
    public StoreAccess prepare() {
        output.check("resume");
        return StoreAccess.WRITE;
    }

    @Override
    public int call(EventStore runStore) {
        PrintWriter out = spec.commandLine().getOut();
        try (SignalStop stop = SignalStop.install()) {
            long id = runStore.resolve(run);
            TrainingOutcome outcome;
            int from;
            RunReport report;
            try (RunRecorder recorder = runStore.resume(id)) {
                from = recorder.nextEpoch();
                int start = from;
                TerminalProgress progress = output.progress(spec.commandLine().getErr());
                report = output.report(spec, progress, "resumed run " + id + " at epoch " + from);
                outcome = report.training(() -> Trainer.run(recorder, runStore.parametersAt(id, start), report, stop));
                progress.finish();
            }
            if (output.json()) {
                out.println(TrainCommand.json(outcome));
            } else {
                report.outcome(outcome, from);
            }
            return TrainCommand.exitCode(outcome, stop);
        }
    }
}
