package org.backprop.sheets.record;

import static org.backprop.sheets.Quantity.*;

import org.backprop.events.EpochRecorded;
import org.backprop.events.EventStore;
import org.backprop.events.Lineage;
import org.backprop.events.RunRecorder;
import org.backprop.events.SheetSource;
import org.backprop.model.Activation;
import org.backprop.model.Backprop;
import org.backprop.model.Loss;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.sheets.FileAudit;
import org.backprop.sheets.Quantity;
import org.backprop.sheets.TableAudit;
import org.backprop.sheets.find.TableGrid;
import org.backprop.training.Trainer;
import org.backprop.training.TrainingOutcome;
import org.backprop.training.TrainingProgress;

/**
 * Records an audited table as two runs through the event-store port: the sheet's run, whose every epoch holds the
 * table's row exactly as the sheet has it, its start event naming the file, its SHA-256, the sheet and the table; and
 * the exact run from the same start, trained by this program as a fork of the sheet run at epoch 0, so that diff,
 * plot, replay and SQL compare them epoch by epoch.
 *
 * <p>Two kinds of value a run holds are not cells of the sheet, and are derived from the sheet's own cells with the
 * model's functions: each neuron's δ = ∂E/∂net (from a_o, t and the output deltas, as the engine computes them), and
 * the final weights after the last row's update (the last row's weights and gradients with the table's rate). A
 * cell that holds no number is recorded as NaN.
 */
public final class SheetRuns {
    private SheetRuns() {
    }

    /** The ids of the two runs one table became. */
    public record Recorded(long sheetRunId, long exactRunId) {
    }

    public static Recorded record(EventStore store, FileAudit file, TableAudit table) {
        TableGrid grid = table.table().grid();
        String base = file.fileName() + " " + table.table().sheet() + "!" + table.table().position();
        if (base.length() > 180) {
            base = base.substring(0, 180);
        }
        RunConfig config = table.exact().config().withName(base + " (sheet)");
        SheetSource source = new SheetSource(file.fileName(), file.sha256(), table.table().sheet(), table.table().position());
        long sheetRun;
        try (RunRecorder recorder = store.start(config, null, null, source)) {
            sheetRun = recorder.started().runId();
            for (int r = 0; r < grid.rows(); r++) {
                recorder.append(epoch(sheetRun, r, grid));
            }
            recorder.complete(finalParameters(grid, config.learningRate()));
        }
        TrainingOutcome exact = new Trainer(store).train(config.withName(base + " (exact)"), new Lineage(sheetRun, 0), null, TrainingProgress.NONE);
        return new Recorded(sheetRun, exact.started().runId());
    }

    /** One row as an epoch: its weights, net inputs, activations, the deltas its cells give, its gradients and E_total. */
    static EpochRecorded epoch(long runId, int r, TableGrid g) {
        double[] w = new double[8];
        double[] gradients = new double[8];
        for (int k = 0; k < 8; k++) {
            w[k] = g.value(r, Quantity.weight(k));
            gradients[k] = g.value(r, Quantity.gradient(k));
        }
        double[] net = {g.value(r, H1), g.value(r, H2), g.value(r, O1), g.value(r, O2)};
        double[] act = {g.value(r, A_H1), g.value(r, A_H2), g.value(r, A_O1), g.value(r, A_O2)};
        Activation f = Activation.SIGMOID;
        double d1 = Loss.outputGradient(g.value(r, T1), act[2]) * f.derivative(net[2], act[2]);
        double d2 = Loss.outputGradient(g.value(r, T2), act[3]) * f.derivative(net[3], act[3]);
        double s1 = 0.0;
        s1 += w[4] * d1;
        s1 += w[6] * d2;
        double s2 = 0.0;
        s2 += w[5] * d1;
        s2 += w[7] * d2;
        double[] deltas = {s1 * f.derivative(net[0], act[0]), s2 * f.derivative(net[1], act[1]), d1, d2};
        return new EpochRecorded(runId, r, new Parameters(w, null), net, act, deltas, gradients, new double[0], g.value(r, E_TOT));
    }

    /** The weights after the last row's update: that row's weights minus the rate times its gradients. */
    static Parameters finalParameters(TableGrid g, double rate) {
        int last = g.rows() - 1;
        double[] w = new double[8];
        for (int k = 0; k < 8; k++) {
            w[k] = g.value(last, Quantity.weight(k)) + Backprop.step(rate, g.value(last, Quantity.gradient(k)));
        }
        return new Parameters(w, null);
    }
}
