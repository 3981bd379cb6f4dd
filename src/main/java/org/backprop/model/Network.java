package org.backprop.model;

import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * The shape of a fully connected network: layer sizes, one activation per non-input layer, and whether it has biases.
 *
 * <p>Weights are numbered the seed's way, {@code w1..wN} layer by layer, for each target neuron, for each source
 * neuron; biases {@code b1..bM} layer by layer, one per non-input neuron. Non-input neurons share one flat index
 * (layer 1 first), which is also the bias index.
 */
public record Network(int[] layers, List<Activation> activations, boolean biased, boolean trainBiases) {

    /** Beyond this many weights a run would not fit the store's per-epoch rows comfortably. */
    public static final int MAX_WEIGHTS = 20_000_000;

    public Network {
        if (layers == null || layers.length < 2) {
            throw new InvalidNetworkException("a network needs at least 2 layers (input and output): give \"layers\": [2, 2, 2] or similar");
        }
        layers = layers.clone();
        long weights = 0;
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] < 1) {
                throw new InvalidNetworkException("layer " + i + " has " + layers[i] + " neurons: every layer needs at least 1");
            }
            if (i > 0) {
                weights += (long) layers[i - 1] * layers[i];
            }
        }
        if (weights > MAX_WEIGHTS) {
            throw new InvalidNetworkException("the network has " + weights + " weights; the limit is " + MAX_WEIGHTS);
        }
        if (activations == null || activations.size() != layers.length - 1) {
            throw new InvalidNetworkException("the network has " + (layers.length - 1) + " non-input layers but "
                    + (activations == null ? 0 : activations.size()) + " activations: give one activation per non-input layer");
        }
        activations = List.copyOf(activations);
        trainBiases = biased && trainBiases;
    }

    /** The tutorial's network: 2 inputs, 2 sigmoid hidden neurons, 2 sigmoid outputs, no biases. */
    public static Network seed() {
        return new Network(new int[] {2, 2, 2}, List.of(Activation.SIGMOID, Activation.SIGMOID), false, false);
    }

    @Override
    public int[] layers() {
        return layers.clone();
    }

    public int layerCount() {
        return layers.length;
    }

    public int size(int layer) {
        return layers[layer];
    }

    public int inputs() {
        return layers[0];
    }

    public int outputs() {
        return layers[layers.length - 1];
    }

    public Activation activation(int layer) {
        return activations.get(layer - 1);
    }

    /** Number of non-input neurons. */
    public int neuronCount() {
        int n = 0;
        for (int i = 1; i < layers.length; i++) {
            n += layers[i];
        }
        return n;
    }

    public int weightCount() {
        int n = 0;
        for (int i = 1; i < layers.length; i++) {
            n += layers[i - 1] * layers[i];
        }
        return n;
    }

    public int biasCount() {
        return biased ? neuronCount() : 0;
    }

    /** Flat index of the first neuron of non-input layer {@code layer} (1-based layers). */
    public int neuronOffset(int layer) {
        int n = 0;
        for (int i = 1; i < layer; i++) {
            n += layers[i];
        }
        return n;
    }

    /** Index of the first weight into layer {@code layer} (1-based layers). */
    public int weightOffset(int layer) {
        int n = 0;
        for (int i = 1; i < layer; i++) {
            n += layers[i - 1] * layers[i];
        }
        return n;
    }

    /** Where a weight sits: its layer (the target's), source neuron and target neuron, both numbered from 1. */
    public WeightPosition weightPosition(int weightIndex) {
        int index = weightIndex;
        for (int l = 1; l < layers.length; l++) {
            int count = layers[l - 1] * layers[l];
            if (index < count) {
                return new WeightPosition(l, index % layers[l - 1] + 1, index / layers[l - 1] + 1);
            }
            index -= count;
        }
        throw new IndexOutOfBoundsException("weight " + (weightIndex + 1) + " of " + weightCount());
    }

    /** Where a bias (or non-input neuron) sits: its layer and its neuron number from 1. */
    public WeightPosition biasPosition(int neuronIndex) {
        int index = neuronIndex;
        for (int l = 1; l < layers.length; l++) {
            if (index < layers[l]) {
                return new WeightPosition(l, 0, index + 1);
            }
            index -= layers[l];
        }
        throw new IndexOutOfBoundsException("neuron " + (neuronIndex + 1) + " of " + neuronCount());
    }

    /** The layer sizes joined by dashes, as in "2-2-2". */
    public String shape() {
        StringJoiner j = new StringJoiner("-");
        for (int l : layers) {
            j.add(Integer.toString(l));
        }
        return j.toString();
    }

    /**
     * Whether a run of this network on {@code samples} samples has the shape of the seed tutorial's spreadsheet (and
     * of the {@code epoch_sheet} view): 2-2-2, one sample, no biases.
     */
    public boolean isSeedShaped(int samples) {
        return samples == 1 && "2-2-2".equals(shape()) && !biased;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Network n && Arrays.equals(layers, n.layers) && activations.equals(n.activations)
                && biased == n.biased && trainBiases == n.trainBiases;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(layers) * 31 + activations.hashCode() * 7 + (biased ? 2 : 0) + (trainBiases ? 1 : 0);
    }

    @Override
    public String toString() {
        return "Network[" + shape() + " " + activations + (biased ? (trainBiases ? " trained biases" : " fixed biases") : "") + "]";
    }

    /** A weight's or bias's place in the network; {@code fromNeuron} is 0 for a bias. */
    public record WeightPosition(int layer, int fromNeuron, int toNeuron) {
    }
}
