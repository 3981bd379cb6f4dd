package org.backprop.model;

/**
 * Every value one epoch computes, in reusable arrays, so a long run allocates nothing per epoch.
 *
 * <p>Per-sample arrays are laid out sample by sample, each holding every non-input neuron in the network's flat order.
 * {@code deltas} are ∂E_s/∂net for each sample's own loss E_s; gradients are their average over the samples.
 */
public final class EpochValues {
    public final int samples;
    public final int neurons;
    public final double[] netInputs;
    public final double[] activations;
    public final double[] deltas;
    public final double[] weightGradients;
    public final double[] biasGradients;
    /** Total loss of the epoch: per-sample sums of output errors, averaged over the samples. */
    public double loss;

    public EpochValues(Network network, int samples) {
        this.samples = samples;
        this.neurons = network.neuronCount();
        this.netInputs = new double[samples * neurons];
        this.activations = new double[samples * neurons];
        this.deltas = new double[samples * neurons];
        this.weightGradients = new double[network.weightCount()];
        this.biasGradients = new double[network.biasCount()];
    }
}
