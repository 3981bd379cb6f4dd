package org.backprop.model;

/**
 * One epoch of full-batch backpropagation: forward pass, loss, backward pass by the chain rule, and the
 * gradient-descent update. The arithmetic is sequential and in a fixed order, so equal inputs give bit-identical results.
 */
public final class Backprop {
    private Backprop() {
    }

    /** Forward and backward pass with the given weights and biases; fills {@code out} and changes nothing else. */
    public static void compute(Network network, Dataset data, double[] weights, double[] biases, EpochValues out) {
        int layers = network.layerCount();
        int neurons = out.neurons;
        int samples = data.sampleCount();
        double[] net = out.netInputs;
        double[] act = out.activations;
        double[] delta = out.deltas;
        double[] gw = out.weightGradients;
        double[] gb = out.biasGradients;
        boolean biased = biases.length > 0;
        java.util.Arrays.fill(gw, 0.0);
        java.util.Arrays.fill(gb, 0.0);
        double total = 0.0;
        int outLayer = layers - 1;
        int outOffset = network.neuronOffset(outLayer);
        int outputs = network.outputs();

        for (int s = 0; s < samples; s++) {
            int base = s * neurons;
            double[] input = data.inputRow(s);
            for (int l = 1, nOff = 0, wOff = 0, prevOff = 0; l < layers; l++) {
                int from = network.size(l - 1);
                int to = network.size(l);
                Activation f = network.activation(l);
                for (int j = 0; j < to; j++) {
                    double sum = 0.0;
                    int w = wOff + j * from;
                    if (l == 1) {
                        for (int i = 0; i < from; i++) {
                            sum += weights[w + i] * input[i];
                        }
                    } else {
                        for (int i = 0; i < from; i++) {
                            sum += weights[w + i] * act[base + prevOff + i];
                        }
                    }
                    if (biased) {
                        sum += biases[nOff + j];
                    }
                    net[base + nOff + j] = sum;
                    act[base + nOff + j] = f.apply(sum);
                }
                prevOff = nOff;
                nOff += to;
                wOff += from * to;
            }

            double sampleLoss = 0.0;
            Activation fOut = network.activation(outLayer);
            double[] target = data.targetRow(s);
            for (int k = 0; k < outputs; k++) {
                int idx = base + outOffset + k;
                sampleLoss += Loss.outputError(target[k], act[idx]);
                delta[idx] = Loss.outputGradient(target[k], act[idx]) * fOut.derivative(net[idx], act[idx]);
            }
            total += sampleLoss;

            for (int l = outLayer - 1; l >= 1; l--) {
                int nOff = network.neuronOffset(l);
                int nextOff = network.neuronOffset(l + 1);
                int size = network.size(l);
                int next = network.size(l + 1);
                int wNext = network.weightOffset(l + 1);
                Activation f = network.activation(l);
                for (int i = 0; i < size; i++) {
                    double sum = 0.0;
                    for (int k = 0; k < next; k++) {
                        sum += weights[wNext + k * size + i] * delta[base + nextOff + k];
                    }
                    int idx = base + nOff + i;
                    delta[idx] = sum * f.derivative(net[idx], act[idx]);
                }
            }

            for (int l = 1, nOff = 0, wOff = 0, prevOff = 0; l < layers; l++) {
                int from = network.size(l - 1);
                int to = network.size(l);
                for (int j = 0; j < to; j++) {
                    double d = delta[base + nOff + j];
                    int w = wOff + j * from;
                    if (l == 1) {
                        for (int i = 0; i < from; i++) {
                            gw[w + i] += d * input[i];
                        }
                    } else {
                        for (int i = 0; i < from; i++) {
                            gw[w + i] += d * act[base + prevOff + i];
                        }
                    }
                    if (biased) {
                        gb[nOff + j] += d;
                    }
                }
                prevOff = nOff;
                nOff += to;
                wOff += from * to;
            }
        }
        if (samples > 1) {
            double n = samples;
            for (int i = 0; i < gw.length; i++) {
                gw[i] /= n;
            }
            for (int i = 0; i < gb.length; i++) {
                gb[i] /= n;
            }
            total /= n;
        }
        out.loss = total;
    }

    /** The change gradient descent makes to a value: −η·∂E/∂w. */
    public static double step(double rate, double gradient) {
        return -(rate * gradient);
    }

    /** Applies {@code w ← w − η·∂E/∂w} in place; biases only when the network trains them. */
    public static void descend(double[] weights, double[] biases, EpochValues values, double rate, boolean trainBiases) {
        double[] gw = values.weightGradients;
        for (int i = 0; i < weights.length; i++) {
            weights[i] += step(rate, gw[i]);
        }
        if (trainBiases) {
            double[] gb = values.biasGradients;
            for (int i = 0; i < biases.length; i++) {
                biases[i] += step(rate, gb[i]);
            }
        }
    }

    /** The pure form: the values of one epoch from the given parameters, and the parameters after its update. */
    public static EpochResult epoch(Network network, Dataset data, Parameters before, double rate) {
        EpochValues values = new EpochValues(network, data.sampleCount());
        double[] w = before.weights();
        double[] b = before.biases();
        compute(network, data, w, b, values);
        descend(w, b, values, rate, network.trainBiases());
        return new EpochResult(before, values.netInputs, values.activations, values.deltas, values.weightGradients,
                values.biasGradients, values.loss, new Parameters(w, b));
    }
}
