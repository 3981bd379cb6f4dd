package org.backprop.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The trainable values of a network at one moment: weights {@code w1..wN} and biases {@code b1..bM}. */
public record Parameters(double[] weights, double[] biases) {

    public Parameters {
        weights = weights.clone();
        biases = biases == null ? new double[0] : biases.clone();
    }

    /** The tutorial's starting weights 0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55. */
    public static Parameters seed() {
        return new Parameters(new double[] {0.15, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5, 0.55}, new double[0]);
    }

    /**
     * Draws weights uniformly from ±1/√fan-in of the target layer, and biases likewise, from a seeded generator
     * whose sequence is fixed by the JDK's specification, so a seed means the same weights everywhere.
     */
    public static Parameters random(Network network, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = new double[network.weightCount()];
        double[] b = new double[network.biasCount()];
        int k = 0;
        for (int l = 1; l < network.layerCount(); l++) {
            double limit = 1.0 / Math.sqrt(network.size(l - 1));
            for (int i = 0; i < network.size(l) * network.size(l - 1); i++) {
                w[k++] = random.nextDouble(-limit, limit);
            }
        }
        int n = 0;
        for (int l = 1; l < network.layerCount() && b.length > 0; l++) {
            double limit = 1.0 / Math.sqrt(network.size(l - 1));
            for (int i = 0; i < network.size(l); i++) {
                b[n++] = random.nextDouble(-limit, limit);
            }
        }
        return new Parameters(w, b);
    }

    /** Throws unless the counts match the network and every value is finite. */
    public void checkFits(Network network) {
        if (weights.length != network.weightCount()) {
            throw new InvalidNetworkException("the network " + network.shape() + " has " + network.weightCount() + " weights but "
                    + weights.length + " were given: give exactly " + network.weightCount() + " (or a \"seed\" to draw them)");
        }
        if (biases.length != network.biasCount()) {
            throw new InvalidNetworkException(network.biased()
                    ? "the network " + network.shape() + " has " + network.biasCount() + " biases but " + biases.length + " were given"
                    : "biases were given but the network has none");
        }
        checkFinite(weights, "w");
        checkFinite(biases, "b");
    }

    private static void checkFinite(double[] values, String prefix) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new InvalidNetworkException(prefix + (i + 1) + " is " + values[i] + ": every weight and bias must be a finite number");
            }
        }
    }

    public double weight(int i) {
        return weights[i];
    }

    public double bias(int i) {
        return biases[i];
    }

    public int weightCount() {
        return weights.length;
    }

    /** The name of trainable value {@code k} of a network with {@code weightCount} weights: {@code w1..wN}, then {@code b1..bM}. */
    public static String name(int k, int weightCount) {
        return k < weightCount ? "w" + (k + 1) : "b" + (k - weightCount + 1);
    }

    public int biasCount() {
        return biases.length;
    }

    @Override
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public double[] biases() {
        return biases.clone();
    }

    /** The largest |a − b| over the weights and biases of two parameter sets of the same network. */
    public double largestDifference(Parameters other) {
        if (weights.length != other.weights.length || biases.length != other.biases.length) {
            throw new IllegalArgumentException("parameters of different networks: " + weights.length + "+" + biases.length
                    + " and " + other.weights.length + "+" + other.biases.length + " values");
        }
        double largest = 0.0;
        for (int i = 0; i < weights.length; i++) {
            largest = Math.max(largest, Math.abs(weights[i] - other.weights[i]));
        }
        for (int i = 0; i < biases.length; i++) {
            largest = Math.max(largest, Math.abs(biases[i] - other.biases[i]));
        }
        return largest;
    }

    /** Whether two parameter sets have the same number of weights and of biases, so they can be compared value by value. */
    public boolean sameShape(Parameters other) {
        return weights.length == other.weights.length && biases.length == other.biases.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters p && Arrays.equals(weights, p.weights) && Arrays.equals(biases, p.biases);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(weights) * 31 + Arrays.hashCode(biases);
    }

    @Override
    public String toString() {
        return "Parameters[weights=" + Arrays.toString(weights) + ", biases=" + Arrays.toString(biases) + "]";
    }
}
