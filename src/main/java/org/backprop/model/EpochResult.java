package org.backprop.model;

/** The immutable outcome of one epoch: parameters before, every computed value, and parameters after the update. */
public record EpochResult(Parameters before, double[] netInputs, double[] activations, double[] deltas,
                          double[] weightGradients, double[] biasGradients, double loss, Parameters after) {
    public EpochResult {
        netInputs = netInputs.clone();
        activations = activations.clone();
        deltas = deltas.clone();
        weightGradients = weightGradients.clone();
        biasGradients = biasGradients.clone();
    }

    @Override public double[] netInputs() { return netInputs.clone(); }
    @Override public double[] activations() { return activations.clone(); }
    @Override public double[] deltas() { return deltas.clone(); }
    @Override public double[] weightGradients() { return weightGradients.clone(); }
    @Override public double[] biasGradients() { return biasGradients.clone(); }
}
