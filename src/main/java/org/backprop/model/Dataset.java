package org.backprop.model;

import java.util.Arrays;

/** Training samples: one input vector and one target vector per sample, all trained on in every epoch. */
public record Dataset(double[][] inputs, double[][] targets) {

    public Dataset {
        if (inputs == null || targets == null || inputs.length == 0) {
            throw new InvalidNetworkException("the data needs at least one sample: give \"inputs\": [[...]] and \"targets\": [[...]]");
        }
        if (inputs.length != targets.length) {
            throw new InvalidNetworkException("there are " + inputs.length + " input vectors but " + targets.length
                    + " target vectors: give one target vector per input vector");
        }
        inputs = deepCopy(inputs, "input");
        targets = deepCopy(targets, "target");
    }

    /** The tutorial's single sample: inputs (0.05, 0.1), targets (0.5, 0.5). */
    public static Dataset seed() {
        return new Dataset(new double[][] {{0.05, 0.1}}, new double[][] {{0.5, 0.5}});
    }

    /** Throws unless every sample fits the network's input and output layers. */
    public void checkFits(Network network) {
        for (int s = 0; s < inputs.length; s++) {
            if (inputs[s].length != network.inputs()) {
                throw new InvalidNetworkException("sample " + (s + 1) + " has " + inputs[s].length + " inputs but the network's input layer has "
                        + network.inputs() + " neurons");
            }
            if (targets[s].length != network.outputs()) {
                throw new InvalidNetworkException("sample " + (s + 1) + " has " + targets[s].length + " targets but the network's output layer has "
                        + network.outputs() + " neurons");
            }
        }
    }

    public int sampleCount() {
        return inputs.length;
    }

    public double input(int sample, int neuron) {
        return inputs[sample][neuron];
    }

    public double target(int sample, int output) {
        return targets[sample][output];
    }

    /** The sample's inputs without a copy, for the training loop; callers must not change them. */
    double[] inputRow(int sample) {
        return inputs[sample];
    }

    double[] targetRow(int sample) {
        return targets[sample];
    }

    @Override
    public double[][] inputs() {
        return deepCopy(inputs, "input");
    }

    @Override
    public double[][] targets() {
        return deepCopy(targets, "target");
    }

    private static double[][] deepCopy(double[][] rows, String what) {
        double[][] copy = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null) {
                throw new InvalidNetworkException(what + " vector " + (i + 1) + " is missing");
            }
            copy[i] = rows[i].clone();
            for (double v : copy[i]) {
                if (!Double.isFinite(v)) {
                    throw new InvalidNetworkException(what + " vector " + (i + 1) + " holds " + v + ": every " + what + " must be a finite number");
                }
            }
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dataset d && Arrays.deepEquals(inputs, d.inputs) && Arrays.deepEquals(targets, d.targets);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(inputs) * 31 + Arrays.deepHashCode(targets);
    }

    @Override
    public String toString() {
        return "Dataset[inputs=" + Arrays.deepToString(inputs) + ", targets=" + Arrays.deepToString(targets) + "]";
    }
}
