package org.backprop.events;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/**
 * The canonical bytes of an epoch, the form that is stored and hashed: little-endian doubles in the order
 * weights, biases, net inputs, activations, deltas (each sample by sample), weight gradients, bias gradients, loss.
 */
public final class EpochCodec {
    private final Network network;
    private final int samples;
    private final int weights;
    private final int biases;
    private final int perSample;
    private final int doubles;

    public EpochCodec(Network network, int samples) {
        this.network = network;
        this.samples = samples;
        this.weights = network.weightCount();
        this.biases = network.biasCount();
        this.perSample = samples * network.neuronCount();
        this.doubles = 2 * weights + 2 * biases + 3 * perSample + 1;
    }

    /** The codec of a run's epochs: its network, with as many samples as its data has. */
    public static EpochCodec of(RunConfig config) {
        return new EpochCodec(config.network(), config.data().sampleCount());
    }

    public Network network() {
        return network;
    }

    public int samples() {
        return samples;
    }

    /** Size of one encoded epoch in bytes. */
    public int epochBytes() {
        return doubles * Double.BYTES;
    }

    /** Doubles in one encoded epoch. */
    public int epochDoubles() {
        return doubles;
    }

    /** Size of the parameters that open an encoded epoch (weights, then biases), in bytes. */
    public int parameterBytes() {
        return (weights + biases) * Double.BYTES;
    }

    // Where each part of an encoded epoch starts, in doubles from the epoch's first: the layout write and read follow.

    public int netInputsAt() {
        return weights + biases;
    }

    public int activationsAt() {
        return netInputsAt() + perSample;
    }

    public int deltasAt() {
        return activationsAt() + perSample;
    }

    /** The weight gradients, then the bias gradients. */
    public int gradientsAt() {
        return deltasAt() + perSample;
    }

    /** The loss, the epoch's last double. */
    public int lossAt() {
        return gradientsAt() + weights + biases;
    }

    /** Writes the epoch at the buffer's position and advances it. */
    public void write(EpochRecorded e, ByteBuffer out) {
        DoubleBuffer d = out.order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        d.put(e.before().weights()).put(e.before().biases());
        d.put(e.rawNetInputs()).put(e.rawActivations()).put(e.rawDeltas());
        d.put(e.rawWeightGradients()).put(e.rawBiasGradients());
        d.put(e.loss());
        out.position(out.position() + epochBytes());
    }

    /** Reads the epoch at the buffer's position and advances it. */
    public EpochRecorded read(long runId, int epoch, ByteBuffer in) {
        DoubleBuffer d = in.order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        double[] w = new double[weights];
        double[] b = new double[biases];
        double[] net = new double[perSample];
        double[] act = new double[perSample];
        double[] delta = new double[perSample];
        double[] gw = new double[weights];
        double[] gb = new double[biases];
        d.get(w).get(b).get(net).get(act).get(delta).get(gw).get(gb);
        double loss = d.get();
        in.position(in.position() + epochBytes());
        return new EpochRecorded(runId, epoch, new Parameters(w, b), net, act, delta, gw, gb, loss);
    }

    /** Only the parameters in force during the epoch that starts at the buffer's position. */
    public Parameters readParameters(ByteBuffer in) {
        DoubleBuffer d = in.order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        double[] w = new double[weights];
        double[] b = new double[biases];
        d.get(w).get(b);
        return new Parameters(w, b);
    }

    /** Packs parameters alone: weights then biases, little-endian. */
    public static byte[] pack(Parameters p) {
        ByteBuffer buf = ByteBuffer.allocate((p.weightCount() + p.biasCount()) * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(p.weights()).put(p.biases());
        return buf.array();
    }

    public static Parameters unpack(byte[] bytes, int weightCount) {
        DoubleBuffer d = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        double[] w = new double[weightCount];
        double[] b = new double[d.remaining() - weightCount];
        d.get(w).get(b);
        return new Parameters(w, b);
    }

    /** Packs rows of doubles one after another, little-endian. */
    public static byte[] packRows(double[][] rows) {
        int n = 0;
        for (double[] r : rows) {
            n += r.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(n * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        DoubleBuffer d = buf.asDoubleBuffer();
        for (double[] r : rows) {
            d.put(r);
        }
        return buf.array();
    }

    /** The rows {@link #packRows} packed, given their count and width. */
    public static double[][] unpackRows(byte[] bytes, int rows, int width) {
        DoubleBuffer d = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        double[][] out = new double[rows][width];
        for (double[] row : out) {
            d.get(row);
        }
        return out;
    }
}
