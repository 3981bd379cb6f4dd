package org.backprop.sheets.check;

import org.backprop.model.Backprop;
import org.backprop.model.Dataset;
import org.backprop.model.EpochResult;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.sheets.Quantity;
import org.backprop.sheets.find.TableGrid;

/**
 * The run this project's engine makes from a table's first row (its inputs, targets and weights) with the table's
 * rate, for as many epochs as the table has rows: how far the sheet ends from the truth.
 *
 * @param finalErrorSheet   E_total of the table's last row
 * @param finalErrorExact   the exact run's loss in the same epoch
 * @param finalWeightsExact the weights in force in the exact run's last epoch (the sheet's last row holds its own)
 * @param largestWeightDifference the largest |sheet − exact| over w1..w8 in the last row
 */
public record ExactRun(RunConfig config, double finalErrorSheet, double finalErrorExact, Parameters finalWeightsExact,
                       double largestWeightDifference) {

    /** The configuration a table's first row gives: the tutorial's network, its sample and weights, its rate. */
    public static RunConfig config(String name, TableGrid grid, double rate) {
        double[] w = new double[8];
        for (int k = 0; k < 8; k++) {
            w[k] = grid.value(0, Quantity.weight(k));
        }
        Dataset data = new Dataset(new double[][] {{grid.value(0, Quantity.I1), grid.value(0, Quantity.I2)}},
                new double[][] {{grid.value(0, Quantity.T1), grid.value(0, Quantity.T2)}});
        return new RunConfig(name, Network.seed(), data, new Parameters(w, null), null, rate, grid.rows());
    }

    public static ExactRun of(RunConfig config, TableGrid grid) {
        Parameters p = config.initial();
        EpochResult last = null;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            last = Backprop.epoch(config.network(), config.data(), p, config.learningRate());
            if (epoch < config.epochs() - 1) {
                p = last.after();
            }
        }
        int lastRow = grid.rows() - 1;
        double largest = 0;
        for (int k = 0; k < 8; k++) {
            largest = Math.max(largest, Math.abs(grid.value(lastRow, Quantity.weight(k)) - p.weight(k)));
        }
        return new ExactRun(config, grid.value(lastRow, Quantity.E_TOT), last.loss(), p, largest);
    }
}
