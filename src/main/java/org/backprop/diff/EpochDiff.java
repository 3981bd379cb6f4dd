package org.backprop.diff;

/**
 * One epoch of a comparison of runs a and b. The weights compared are those in force at the start of the epoch
 * (epoch n, one past a run's last, means its weights after the last update); the losses are those of the epoch's
 * forward pass. A value is null where a run has no such epoch or the two networks differ in shape.
 *
 * @param lossDifference        {@code lossB − lossA}
 * @param maxWeightDifference   the largest |a − b| over all weights and biases
 * @param weightsEqual          whether every weight and bias is bit-identical
 */
public record EpochDiff(int epoch, Double lossA, Double lossB, Double lossDifference, Double maxWeightDifference, Boolean weightsEqual) {
}
