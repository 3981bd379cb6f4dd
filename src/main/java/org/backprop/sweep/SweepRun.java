package org.backprop.sweep;

import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.Lineage;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;
import org.backprop.model.Network;
import org.backprop.model.Parameters;

/**
 * One run of a sweep as recorded: its start, its end (null while it runs), its final weights (after the last update)
 * and its last epoch, whose forward pass gives the final error and outputs.
 */
public record SweepRun(RunStarted started, RunEvent end, int epochsRecorded, Parameters finalParameters, EpochRecorded lastEpoch,
                       String startedFrom) {

    /** Reads the run back from the store. */
    public static SweepRun load(EventStore store, long runId) {
        RunStarted started = store.started(runId);
        int recorded = store.epochCount(runId);
        EpochRecorded last = recorded == 0 ? null : store.epochs(runId, recorded - 1, recorded - 1).get(0);
        return new SweepRun(started, store.ended(runId).orElse(null), recorded, store.parametersAt(runId, recorded), last,
                startedFrom(store, started.lineage()));
    }

    /** "initial weights", "final weights of run N" for a run chained on N, or "weights of run N at epoch k" for another fork. */
    static String startedFrom(EventStore store, Lineage lineage) {
        if (lineage == null) {
            return "initial weights";
        }
        long parent = lineage.parentRunId();
        return lineage.forkEpoch() == store.epochCount(parent) ? "final weights of run " + parent
                : "weights of run " + parent + " at epoch " + lineage.forkEpoch();
    }

    public long runId() {
        return started.runId();
    }

    public double learningRate() {
        return started.config().learningRate();
    }

    public boolean completed() {
        return end instanceof RunCompleted;
    }

    /** "completed", "failed at epoch k: why", or "running". */
    public String status() {
        return switch (end) {
            case RunCompleted done -> "completed";
            case RunFailed failed -> "failed at epoch " + failed.epoch() + ": " + failed.reason();
            case null -> "running";
            default -> throw new IllegalStateException("a run ends completed or failed, not " + end);
        };
    }

    /** The error of the last epoch's forward pass. */
    public double finalError() {
        return lastEpoch.loss();
    }

    /** Output neuron {@code output} (from 0) for sample {@code sample} (from 0) in the last epoch's forward pass. */
    public double finalOutput(int sample, int output) {
        Network network = started.config().network();
        return lastEpoch.activation(network, sample, network.neuronOffset(network.layerCount() - 1) + output);
    }
}
