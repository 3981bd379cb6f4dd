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

    /**
     * Names the first value of the epoch, or of the parameters {@code w} and {@code b} it led to, that is NaN or
     * infinite (a run diverged there), or returns null when all are finite.
     */
    public String firstNonFinite(double[] w, double[] b) {
        if (!Double.isFinite(loss)) {
            return "the loss became " + loss;
        }
        String s = scan(netInputs, "a net input");
        s = s != null ? s : scan(activations, "an activation");
        s = s != null ? s : scan(deltas, "a delta (∂E/∂net)");
        if (s != null) {
            return s;
        }
        for (int i = 0; i < w.length; i++) {
            if (!Double.isFinite(weightGradients[i]) || !Double.isFinite(w[i])) {
                return "w" + (i + 1) + (Double.isFinite(weightGradients[i]) ? " became " + w[i] + " after the update" : "'s gradient became " + weightGradients[i]);
            }
        }
        for (int i = 0; i < b.length; i++) {
            if (!Double.isFinite(biasGradients[i]) || !Double.isFinite(b[i])) {
                return "b" + (i + 1) + (Double.isFinite(biasGradients[i]) ? " became " + b[i] + " after the update" : "'s gradient became " + biasGradients[i]);
            }
        }
        return null;
    }

    private static String scan(double[] values, String what) {
        for (double x : values) {
            if (!Double.isFinite(x)) {
                return what + " became " + x;
            }
        }
        return null;
    }
}
