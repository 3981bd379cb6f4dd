package org.backprop.sweep;

import org.backprop.events.EventStore;
import org.backprop.events.Lineage;
import org.backprop.events.RunStarted;
import org.backprop.events.UnknownRunException;
import org.backprop.model.RunConfig;
import org.backprop.training.StopSignal;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;

/**
 * Forks a run: a new run whose initial weights are the parent's at the start of a chosen epoch, with its own learning
 * rate and length. The fork records its parent and fork epoch and numbers its own epochs from 0, so its epoch j
 * continues the parent's history at epoch k + j; it copies none of the parent's epochs.
 */
public final class Fork {
    private final EventStore store;

    public Fork(EventStore store) {
        this.store = store;
    }

    /** The configuration the fork would train, checked; records nothing. */
    public RunConfig plan(ForkRequest request) {
        RunStarted parent = store.started(request.parentRunId());
        int recorded = store.epochCount(request.parentRunId());
        int at = request.atEpoch();
        if (at < 0 || at > recorded) {
            throw new UnknownRunException("run " + request.parentRunId() + " has no epoch " + at + " to fork at: give --at from 0 to "
                    + recorded + " (" + recorded + " means its weights after the last recorded update)");
        }
        RunConfig config = parent.config();
        int planned = config.epochs() - at;
        int epochs = request.epochs() != null ? request.epochs() : planned > 0 ? planned : config.epochs();
        double rate = request.learningRate() != null ? request.learningRate() : config.learningRate();
        String name = request.name();
        if (name == null) {
            java.util.Set<String> taken = new java.util.HashSet<>();
            store.runs().forEach(r -> taken.add(r.name()));
            name = Sweeper.unique(taken, defaultName(config.name(), request.parentRunId(), at), "");
        }
        return new RunConfig(name,
                config.network(), config.data(), store.parametersAt(request.parentRunId(), at), null, rate, epochs,
                request.untilLoss() != null ? request.untilLoss() : config.untilLoss());
    }

    /** Records and trains the fork, in the given sweep when {@code sweepId} is not null. */
    public TrainingOutcome run(ForkRequest request, Long sweepId, TrainingProgress progress) {
        return run(request, sweepId, progress, StopSignal.NEVER);
    }

    /** The same, stopping after the current epoch (the fork then interrupted and resumable) when {@code stop} asks. */
    public TrainingOutcome run(ForkRequest request, Long sweepId, TrainingProgress progress, StopSignal stop) {
        RunConfig config = plan(request);
        return new Trainer(store).train(config, new Lineage(request.parentRunId(), request.atEpoch()), sweepId, progress, stop);
    }

    static String defaultName(String parentName, long parentId, int at) {
        String name = parentName + "-at" + at;
        return name.length() <= 200 ? name : "run" + parentId + "-at" + at;
    }
}
