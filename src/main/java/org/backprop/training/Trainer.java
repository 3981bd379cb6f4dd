package org.backprop.training;

import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.Lineage;
import org.backprop.events.RunEvent;
import org.backprop.events.RunRecorder;
import org.backprop.model.Backprop;
import org.backprop.model.EpochValues;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/** Trains a run epoch by epoch and appends every epoch, whole, to the event store. */
public final class Trainer {
    private final EventStore store;

    public Trainer(EventStore store) {
        this.store = store;
    }

    public TrainingOutcome train(RunConfig config, TrainingProgress progress) {
        return train(config, null, null, progress);
    }

    public TrainingOutcome train(RunConfig config, Lineage lineage, Long sweepId, TrainingProgress progress) {
        return train(config, lineage, sweepId, progress, StopSignal.NEVER);
    }

    /** Starts and trains a run that stops early, interrupted and resumable, when {@code stop} asks. */
    public TrainingOutcome train(RunConfig config, Lineage lineage, Long sweepId, TrainingProgress progress, StopSignal stop) {
        try (RunRecorder recorder = store.start(config, lineage, sweepId)) {
            return run(recorder, config.initial(), progress, stop);
        }
    }

    /** Trains from the recorder's next epoch with the given parameters in force, to the run's planned length. */
    public static TrainingOutcome run(RunRecorder recorder, Parameters start, TrainingProgress progress) {
        return run(recorder, start, progress, StopSignal.NEVER);
    }

    /**
     * Trains like {@link #run(RunRecorder, Parameters, TrainingProgress)}, but when {@code stop} asks, commits the
     * epochs done so far and returns without a terminal event: the run is then interrupted, and can be resumed.
     */
    public static TrainingOutcome run(RunRecorder recorder, Parameters start, TrainingProgress progress, StopSignal stop) {
        RunConfig config = recorder.started().config();
        Network network = config.network();
        long runId = recorder.started().runId();
        double[] w = start.weights();
        double[] b = start.biases();
        EpochValues values = new EpochValues(network, config.data().sampleCount());
        double rate = config.learningRate();
        boolean trainBiases = network.trainBiases();
        double[] nextW = new double[w.length];
        double[] nextB = new double[b.length];
        double first = Double.NaN;
        double last = Double.NaN;
        int from = recorder.nextEpoch();
        int recorded = from;
        progress.runStarted(recorder.started(), from);
        RunEvent end = null;
        for (int epoch = from; epoch < config.epochs(); epoch++) {
            if (stop.stopRequested()) {
                recorder.flush();
                return new TrainingOutcome(recorder.started(), null, recorded, first, last);
            }
            Backprop.compute(network, config.data(), w, b, values);
            System.arraycopy(w, 0, nextW, 0, w.length);
            System.arraycopy(b, 0, nextB, 0, b.length);
            Backprop.descend(nextW, nextB, values, rate, trainBiases);
            String problem = values.firstNonFinite(nextW, nextB);
            if (problem != null) {
                end = recorder.fail(epoch, problem + " at epoch " + epoch + "; the run stopped there (try a smaller learning rate)");
                break;
            }
            recorder.append(EpochRecorded.of(runId, epoch, w, b, values));
            if (epoch == from) {
                first = values.loss;
            }
            last = values.loss;
            recorded = epoch + 1;
            double[] t = w;
            w = nextW;
            nextW = t;
            t = b;
            b = nextB;
            nextB = t;
            progress.epochDone(epoch, config.epochs(), values.loss);
            if (config.stopsAt(values.loss) && epoch + 1 < config.epochs()) {
                end = recorder.complete(new Parameters(w, b), config.stopReason(epoch, values.loss));
                break;
            }
        }
        if (end == null) {
            end = recorder.complete(new Parameters(w, b));
        }
        return new TrainingOutcome(recorder.started(), end, recorded, first, last);
    }
}
