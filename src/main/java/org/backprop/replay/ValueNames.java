package org.backprop.replay;

import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/**
 * The names of an epoch's values: the seed spreadsheet's (h1, a_h1, e_tot, de_dw1, ...) for the tutorial's network
 * shape, and names built from the SQL views' columns and keys (sample, layer, neuron, weight) for every other network.
 */
public final class ValueNames {
    private final Network network;
    private final int samples;
    private final boolean seedShaped;

    public ValueNames(RunConfig config) {
        this.network = config.network();
        this.samples = config.data().sampleCount();
        this.seedShaped = network.isSeedShaped(samples);
    }

    public boolean seedShaped() {
        return seedShaped;
    }

    /** {@code w1..wN} then {@code b1..bM}: the view's name of trainable value {@code k}. */
    public String parameter(int k) {
        return Parameters.name(k, network.weightCount());
    }

    /** The seed's name of a non-input neuron (h1, h2, o1, o2); only for seed-shaped runs. */
    public String seedNeuron(int neuronIndex) {
        return (neuronIndex < 2 ? "h" : "o") + (neuronIndex % 2 + 1);
    }

    /** Column suffix of a neuron's value for one sample, from the forward_values keys: {@code s1_l2_n1}. */
    public String neuronKey(int sample, int neuronIndex) {
        Network.WeightPosition p = network.biasPosition(neuronIndex);
        return "s" + (sample + 1) + "_l" + p.layer() + "_n" + p.toNeuron();
    }

    /**
     * Says in words which value sits at {@code index} of an epoch's canonical layout (see
     * {@link org.backprop.events.EpochCodec}): weights, biases, net inputs, activations, deltas, gradients, loss.
     */
    public String describe(int index) {
        int w = network.weightCount();
        int b = network.biasCount();
        int perSample = samples * network.neuronCount();
        int i = index;
        if (i < w + b) {
            return parameter(i) + " (in force during the epoch)";
        }
        i -= w + b;
        String[] kinds = {"net input", "activation", "delta (∂E/∂net)"};
        for (String kind : kinds) {
            if (i < perSample) {
                return neuronValue(kind, i / network.neuronCount(), i % network.neuronCount());
            }
            i -= perSample;
        }
        if (i < w + b) {
            return seedShaped ? "de_dw" + (i + 1) : "the gradient of " + parameter(i);
        }
        return seedShaped ? "e_tot" : "total_error";
    }

    private String neuronValue(String kind, int sample, int neuron) {
        if (seedShaped) {
            String name = seedNeuron(neuron);
            return switch (kind) {
                case "net input" -> name;
                case "activation" -> "a_" + name;
                default -> kind + " of " + name;
            };
        }
        Network.WeightPosition p = network.biasPosition(neuron);
        return "the " + kind + " of layer " + p.layer() + " neuron " + p.toNeuron() + (samples > 1 ? " for sample " + (sample + 1) : "");
    }
}
