package org.backprop.sweep;

import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.Lineage;
import org.backprop.events.RunCompleted;
import org.backprop.events.RunEvent;
import org.backprop.events.RunFailed;
import org.backprop.events.RunStarted;
import org.backprop.events.RunSummary;
import org.backprop.model.Network;
import org.backprop.model.Parameters;

/**
 * One run of a sweep as recorded: its start, its end (null while it runs), its final weights (after the last update)
 * and its last epoch, whose forward pass gives the final error and outputs; for a run that has not ended, whether it
 * is {@code running}, {@code interrupted} or (a queued sweep's run no worker has begun) {@code planned}.
 */
public record SweepRun(RunStarted started, RunEvent end, int epochsRecorded, Parameters finalParameters, EpochRecorded lastEpoch,
                       String startedFrom, String state) {

    /** Reads the run back from the store. */
    public static SweepRun load(EventStore store, long runId) {
        RunStarted started = store.started(runId);
        int recorded = store.epochCount(runId);
        EpochRecorded last = recorded == 0 ? null : store.epochs(runId, recorded - 1, recorded - 1).get(0);
        RunEvent end = store.ended(runId).orElse(null);
        String state = end != null ? null : store.summary(runId).map(RunSummary::status).orElse("running");
        return new SweepRun(started, end, recorded, store.parametersAt(runId, recorded), last, startedFrom(store, started.lineage()), state);
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

    /**
     * "completed", "failed at epoch k: why", or, before it has ended, "planned", "running: k of n epochs" or
     * "interrupted at epoch k".
     */
    public String status() {
        return switch (end) {
            case RunCompleted done -> "completed";
            case RunFailed failed -> "failed at epoch " + failed.epoch() + ": " + failed.reason();
            case null -> switch (state == null ? "running" : state) {
                case "planned" -> "planned";
                case "interrupted" -> "interrupted at epoch " + epochsRecorded;
                default -> "running: " + epochsRecorded + " of " + started.config().epochs() + " epochs";
            };
            default -> throw new IllegalStateException("a run ends completed or failed, not " + end);
        };
    }

    /** Whether the run has a terminal event, completed or failed. */
    public boolean ended() {
        return end != null;
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
