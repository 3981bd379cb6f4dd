package org.backprop.sweep;

/**
 * What a fork asks for: a new run from the weights in force at the start of epoch {@code atEpoch} of run
 * {@code parentRunId}. Null learning rate, epochs, name or loss to stop at mean the parent's rate, the parent's
 * remaining planned epochs (all its planned epochs when forking at its end), "PARENT-atEPOCH", and the parent's.
 */
public record ForkRequest(long parentRunId, int atEpoch, Double learningRate, Integer epochs, String name, Double untilLoss) {

    public ForkRequest(long parentRunId, int atEpoch, Double learningRate, Integer epochs, String name) {
        this(parentRunId, atEpoch, learningRate, epochs, name, null);
    }
}
