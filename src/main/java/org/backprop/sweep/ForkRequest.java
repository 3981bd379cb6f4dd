package org.backprop.sweep;

/**
 * What a fork asks for: a new run from the weights in force at the start of epoch {@code atEpoch} of run
 * {@code parentRunId}. Null learning rate, epochs or name mean the parent's rate, the parent's remaining planned epochs
 * (all its planned epochs when forking at its end), and "PARENT-atEPOCH".
 */
public record ForkRequest(long parentRunId, int atEpoch, Double learningRate, Integer epochs, String name) {
}
