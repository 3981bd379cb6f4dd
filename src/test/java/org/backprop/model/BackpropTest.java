package org.backprop.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackpropTest {

    @Test
    void chainedSweepReproducesTheSeedTable() {
        SeedTable table = SeedTable.load();
        assertEquals(6, table.rows().size());
        Network network = Network.seed();
        Dataset data = Dataset.seed();
        Parameters p = Parameters.seed();
        for (SeedTable.Row row : table.rows()) {
            EpochResult last = null;
            for (int epoch = 0; epoch < 100; epoch++) {
                last = Backprop.epoch(network, data, p, row.learningRate());
                p = last.after();
            }
            String lr = "learning rate " + row.learningRate();
            for (int i = 0; i < 8; i++) {
                SeedTable.assertClose(row.finalWeights()[i], p.weight(i), 1e-12, lr + " w" + (i + 1));
            }
            SeedTable.assertClose(row.finalError(), last.loss(), 1e-12, lr + " final error");
            SeedTable.assertClose(row.finalOutputs()[0], last.activations()[2], 1e-12, lr + " a_o1");
            SeedTable.assertClose(row.finalOutputs()[1], last.activations()[3], 1e-12, lr + " a_o2");
        }
    }

    @Test
    void firstEpochOfTheSeedMatchesTheTutorialsFormulasByHand() {
        EpochResult r = Backprop.epoch(Network.seed(), Dataset.seed(), Parameters.seed(), 0.1);
        double h1 = 0.15 * 0.05 + 0.2 * 0.1;
        double h2 = 0.25 * 0.05 + 0.3 * 0.1;
        double ah1 = 1 / (1 + Math.exp(-h1));
        double ah2 = 1 / (1 + Math.exp(-h2));
        double o1 = 0.4 * ah1 + 0.45 * ah2;
        double o2 = 0.5 * ah1 + 0.55 * ah2;
        double ao1 = 1 / (1 + Math.exp(-o1));
        double ao2 = 1 / (1 + Math.exp(-o2));
        double dO1 = -(0.5 - ao1) * ao1 * (1 - ao1);
        double dO2 = -(0.5 - ao2) * ao2 * (1 - ao2);
        double dH1 = (0.4 * dO1 + 0.5 * dO2) * ah1 * (1 - ah1);
        double dH2 = (0.45 * dO1 + 0.55 * dO2) * ah2 * (1 - ah2);
        double[] expectedGradients = {dH1 * 0.05, dH1 * 0.1, dH2 * 0.05, dH2 * 0.1, dO1 * ah1, dO1 * ah2, dO2 * ah1, dO2 * ah2};
        double[] expectedActivations = {ah1, ah2, ao1, ao2};
        for (int i = 0; i < 8; i++) {
            SeedTable.assertClose(expectedGradients[i], r.weightGradients()[i], 1e-12, "dE/dw" + (i + 1));
        }
        for (int i = 0; i < 4; i++) {
            SeedTable.assertClose(expectedActivations[i], r.activations()[i], 1e-12, "activation " + i);
        }
        SeedTable.assertClose(0.5 * (0.5 - ao1) * (0.5 - ao1) + 0.5 * (0.5 - ao2) * (0.5 - ao2), r.loss(), 1e-12, "E_total");
        SeedTable.assertClose(0.4 - 0.1 * dO1 * ah1, r.after().weight(4), 1e-12, "w5 after");
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void gradientsAgreeWithFiniteDifferences(Activation activation) {
        for (boolean biased : new boolean[] {false, true}) {
            SplittableRandom random = new SplittableRandom(activation.ordinal() * 2 + (biased ? 1 : 0));
            Network network = new Network(new int[] {3, 4, 3, 2}, List.of(activation, activation, activation), biased, true);
            double[][] inputs = new double[3][3];
            double[][] targets = new double[3][2];
            for (int s = 0; s < 3; s++) {
                for (int i = 0; i < 3; i++) {
                    inputs[s][i] = random.nextDouble(-1, 1);
                }
                for (int o = 0; o < 2; o++) {
                    targets[s][o] = random.nextDouble(0.1, 0.9);
                }
            }
            Dataset data = new Dataset(inputs, targets);
            Parameters p = Parameters.random(network, 7 + activation.ordinal());
            EpochResult r = Backprop.epoch(network, data, p, 0.1);
            double h = 1e-6;
            for (int i = 0; i < p.weightCount(); i++) {
                double numeric = (lossWith(network, data, p, i, h) - lossWith(network, data, p, i, -h)) / (2 * h);
                assertNear(numeric, r.weightGradients()[i], activation + " biased=" + biased + " dE/dw" + (i + 1));
            }
            for (int i = 0; i < p.biasCount(); i++) {
                int k = p.weightCount() + i;
                double numeric = (lossWith(network, data, p, k, h) - lossWith(network, data, p, k, -h)) / (2 * h);
                assertNear(numeric, r.biasGradients()[i], activation + " dE/db" + (i + 1));
            }
        }
    }

    private static void assertNear(double numeric, double analytic, String what) {
        double scale = Math.max(1e-3, Math.abs(numeric));
        if (Math.abs(numeric - analytic) > 1e-6 * scale) {
            throw new AssertionError(what + ": finite difference " + numeric + " but backprop gave " + analytic);
        }
    }

    private static double lossWith(Network network, Dataset data, Parameters p, int index, double shift) {
        double[] w = p.weights();
        double[] b = p.biases();
        if (index < w.length) {
            w[index] += shift;
        } else {
            b[index - w.length] += shift;
        }
        return Backprop.epoch(network, data, new Parameters(w, b), 0.1).loss();
    }

    @Test
    void sameConfigurationGivesBitIdenticalResults() {
        Network network = new Network(new int[] {4, 8, 3}, List.of(Activation.TANH, Activation.SIGMOID), true, true);
        Dataset data = new Dataset(new double[][] {{0.1, 0.2, 0.3, 0.4}, {-0.5, 0.25, 0, 1}}, new double[][] {{0, 1, 0}, {1, 0, 0}});
        Parameters a = Parameters.random(network, 42);
        Parameters b = Parameters.random(network, 42);
        assertEquals(a, b);
        for (int i = 0; i < 50; i++) {
            a = Backprop.epoch(network, data, a, 0.3).after();
            b = Backprop.epoch(network, data, b, 0.3).after();
        }
        assertArrayEquals(a.weights(), b.weights());
        assertEquals(a, b);
    }

    @Test
    void untrainedBiasesStayPut() {
        Network network = new Network(new int[] {2, 2, 1}, List.of(Activation.SIGMOID, Activation.IDENTITY), true, false);
        Parameters p = new Parameters(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, new double[] {0.7, 0.8, 0.9});
        EpochResult r = Backprop.epoch(network, new Dataset(new double[][] {{1, 2}}, new double[][] {{3}}), p, 0.5);
        assertArrayEquals(p.biases(), r.after().biases());
        assertEquals(0.0, r.biasGradients()[0] == 0.0 ? 1.0 : 0.0, "bias gradients are still computed and recorded");
    }

    @Test
    void wrongWeightCountIsRefusedWithTheCounts() {
        var e = assertThrows(InvalidNetworkException.class,
                () -> new RunConfig("x", Network.seed(), Dataset.seed(), new Parameters(new double[3], null), null, 0.1, 10));
        assertEquals("the network 2-2-2 has 8 weights but 3 were given: give exactly 8 (or a \"seed\" to draw them)", e.getMessage());
    }
}
