package org.backprop.events;

import java.util.Arrays;
import org.backprop.model.Backprop;
import org.backprop.model.EpochValues;
import org.backprop.model.Network;
import org.backprop.model.Parameters;

/**
 * One whole epoch: the parameters in force during its forward pass, every neuron's net input, activation and
 * ∂E/∂net for every sample (laid out as in {@link EpochValues}), every gradient, and the epoch's total loss.
 * The update it caused follows from these and the run's learning rate: delta = −η·gradient, after = before + delta.
 */
public record EpochRecorded(long runId, int epoch, Parameters before, double[] netInputs, double[] activations,
                            double[] deltas, double[] weightGradients, double[] biasGradients, double loss) implements RunEvent {

    public EpochRecorded {
        netInputs = netInputs.clone();
        activations = activations.clone();
        deltas = deltas.clone();
        weightGradients = weightGradients.clone();
        biasGradients = biasGradients.clone();
    }

    public static EpochRecorded of(long runId, int epoch, double[] weights, double[] biases, EpochValues values) {
        return new EpochRecorded(runId, epoch, new Parameters(weights, biases), values.netInputs, values.activations,
                values.deltas, values.weightGradients, values.biasGradients, values.loss);
    }

    /** The parameters after this epoch's gradient-descent update. */
    public Parameters after(double learningRate, boolean trainBiases) {
        double[] w = before.weights();
        double[] b = before.biases();
        for (int i = 0; i < w.length; i++) {
            w[i] += Backprop.step(learningRate, weightGradients[i]);
        }
        if (trainBiases) {
            for (int i = 0; i < b.length; i++) {
                b[i] += Backprop.step(learningRate, biasGradients[i]);
            }
        }
        return new Parameters(w, b);
    }

    public double netInput(Network network, int sample, int neuronIndex) {
        return netInputs[sample * network.neuronCount() + neuronIndex];
    }

    public double activation(Network network, int sample, int neuronIndex) {
        return activations[sample * network.neuronCount() + neuronIndex];
    }

    public double delta(Network network, int sample, int neuronIndex) {
        return deltas[sample * network.neuronCount() + neuronIndex];
    }

    public double weightGradient(int i) {
        return weightGradients[i];
    }

    public double biasGradient(int i) {
        return biasGradients[i];
    }

    // Uncopied views for the codec in this package, which only reads them.
    double[] rawNetInputs() { return netInputs; }
    double[] rawActivations() { return activations; }
    double[] rawDeltas() { return deltas; }
    double[] rawWeightGradients() { return weightGradients; }
    double[] rawBiasGradients() { return biasGradients; }

    @Override public double[] netInputs() { return netInputs.clone(); }
    @Override public double[] activations() { return activations.clone(); }
    @Override public double[] deltas() { return deltas.clone(); }
    @Override public double[] weightGradients() { return weightGradients.clone(); }
    @Override public double[] biasGradients() { return biasGradients.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochRecorded e && runId == e.runId && epoch == e.epoch && before.equals(e.before)
                && Arrays.equals(netInputs, e.netInputs) && Arrays.equals(activations, e.activations)
                && Arrays.equals(deltas, e.deltas) && Arrays.equals(weightGradients, e.weightGradients)
                && Arrays.equals(biasGradients, e.biasGradients)
                && Double.doubleToLongBits(loss) == Double.doubleToLongBits(e.loss);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(runId) * 31 + epoch;
    }

    @Override
    public String toString() {
        return "EpochRecorded[run " + runId + ", epoch " + epoch + ", loss " + loss + "]";
    }
}
