package org.backprop.sheets.check;

import static org.backprop.sheets.Quantity.*;

import org.backprop.model.Activation;
import org.backprop.model.Backprop;
import org.backprop.model.Loss;
import org.backprop.sheets.Quantity;
import org.backprop.sheets.find.TableGrid;

/**
 * What each cell of a table should hold, computed from the cells it depends on as they stand in the sheet, with the
 * model's own functions in the engine's order (so a sheet of this program's exact doubles checks to the bit), and
 * how far it may be off: every input's storage rounding carried through the formula to first order, plus the
 * rounding of each operation.
 *
 * <p>After {@link #expect} returns true, {@link #value} and {@link #bound} hold the result. No allocation per cell.
 */
public final class Expectations {
    private static final Activation SIGMOID = Activation.SIGMOID;
    /** Each operation's own rounding in the application that computed the sheet (see {@link Precision#ARITHMETIC}). */
    private static final double EPS = Precision.ARITHMETIC;
    /** exp, 1 + x and a division: three roundings. */
    private static final double SIGMOID_ROUNDING = 3 * EPS;

    private final TableGrid grid;
    private final double formulaRounding;
    private final double rate;
    private final double rateError;

    public double value;
    public double bound;

    public Expectations(TableGrid grid, Precision precision, double rate, double rateError) {
        this.grid = grid;
        this.formulaRounding = precision.relative();
        this.rate = rate;
        this.rateError = rateError;
    }

    /** How far a stored cell may be from the number it stands for (NaN when it holds none). */
    public double uncertainty(int row, Quantity q) {
        if (!grid.isNumber(row, q)) {
            return Double.NaN;
        }
        double x = Math.abs(grid.value(row, q));
        if (grid.isFormula(row, q)) {
            return x * formulaRounding;
        }
        // A typed input is the number it says; a typed number in a formula's place was pasted with the digits it shows.
        return q.isInput(row == 0) ? 0.0 : x * Precision.relative(grid.digits(row, q));
    }

    private double v(int row, Quantity q) {
        return grid.value(row, q);
    }

    private double e(int row, Quantity q) {
        return uncertainty(row, q);
    }

    /** Computes the expected value of {@code q} in {@code row}; false when a cell it needs holds no number. */
    public boolean expect(int row, Quantity q) {
        for (Quantity.Need n : q.needs(row == 0)) {
            if (!grid.isNumber(row + n.rowOffset(), n.quantity())) {
                return false;
            }
        }
        int r = row;
        switch (q) {
            case H1 -> weightedSum(r, W1, I1, W2, I2);
            case H2 -> weightedSum(r, W3, I1, W4, I2);
            case O1 -> weightedSum(r, W5, A_H1, W6, A_H2);
            case O2 -> weightedSum(r, W7, A_H1, W8, A_H2);
            case A_H1 -> sigmoid(r, H1);
            case A_H2 -> sigmoid(r, H2);
            case A_O1 -> sigmoid(r, O1);
            case A_O2 -> sigmoid(r, O2);
            case E1 -> outputError(r, T1, A_O1);
            case E2 -> outputError(r, T2, A_O2);
            case E_TOT -> {
                double e1 = v(r, E1);
                double e2 = v(r, E2);
                // The engine's order: 0.0 + E1 + E2 per sample.
                value = 0.0 + e1 + e2;
                bound = e(r, E1) + e(r, E2) + EPS * Math.abs(value);
            }
            case DE_DW5 -> outputWeightGradient(r, A_O1, T1, A_H1);
            case DE_DW6 -> outputWeightGradient(r, A_O1, T1, A_H2);
            case DE_DW7 -> outputWeightGradient(r, A_O2, T2, A_H1);
            case DE_DW8 -> outputWeightGradient(r, A_O2, T2, A_H2);
            case DE_DW1 -> hiddenWeightGradient(r, W5, W7, A_H1, I1);
            case DE_DW2 -> hiddenWeightGradient(r, W5, W7, A_H1, I2);
            case DE_DW3 -> hiddenWeightGradient(r, W6, W8, A_H2, I1);
            case DE_DW4 -> hiddenWeightGradient(r, W6, W8, A_H2, I2);
            default -> {
                if (!q.isWeight() || row == 0) {
                    return false;
                }
                update(r, q, Quantity.gradient(q.weightIndex()));
            }
        }
        return true;
    }

    /** w·x + w'·x', summed from 0.0 in that order as the engine's forward pass does. */
    private void weightedSum(int r, Quantity w, Quantity x, Quantity w2, Quantity x2) {
        double a = v(r, w) * v(r, x);
        double b = v(r, w2) * v(r, x2);
        double sum = 0.0;
        sum += a;
        sum += b;
        value = sum;
        bound = productError(v(r, w), e(r, w), v(r, x), e(r, x)) + productError(v(r, w2), e(r, w2), v(r, x2), e(r, x2))
                + EPS * Math.abs(sum);
    }

    private void sigmoid(int r, Quantity net) {
        value = SIGMOID.apply(v(r, net));
        bound = SIGMOID.derivative(v(r, net), value) * e(r, net) + SIGMOID_ROUNDING * Math.abs(value);
    }

    private void outputError(int r, Quantity target, Quantity actual) {
        double t = v(r, target);
        double a = v(r, actual);
        value = Loss.outputError(t, a);
        double d = t - a;
        double ed = e(r, target) + e(r, actual) + EPS * Math.abs(d);
        bound = Math.abs(d) * ed + 0.5 * ed * ed + 2 * EPS * value;
    }

    /** ∂E/∂o = −(t − a)·a(1 − a) from the sheet's output and target, with its error. */
    private double outputDelta(int r, Quantity actual, Quantity target, double[] error, int slot) {
        double a = v(r, actual);
        double t = v(r, target);
        double g = Loss.outputGradient(t, a);
        double eg = e(r, actual) + e(r, target) + EPS * Math.abs(g);
        double s = SIGMOID.derivative(Double.NaN, a);
        double es = Math.abs(1 - 2 * a) * e(r, actual) + 2 * EPS * Math.abs(s);
        double delta = g * s;
        error[slot] = productError(g, eg, s, es);
        return delta;
    }

    private final double[] deltaErrors = new double[2];

    private void outputWeightGradient(int r, Quantity actual, Quantity target, Quantity hidden) {
        double delta = outputDelta(r, actual, target, deltaErrors, 0);
        double h = v(r, hidden);
        value = 0.0 + delta * h;
        bound = productError(delta, deltaErrors[0], h, e(r, hidden));
    }

    private void hiddenWeightGradient(int r, Quantity toO1, Quantity toO2, Quantity hidden, Quantity input) {
        double d1 = outputDelta(r, A_O1, T1, deltaErrors, 0);
        double d2 = outputDelta(r, A_O2, T2, deltaErrors, 1);
        double w1 = v(r, toO1);
        double w2 = v(r, toO2);
        // The engine's backward pass: Σ_k w_k·δ_k from 0.0, times a(1 − a), times the input.
        double sum = 0.0;
        sum += w1 * d1;
        sum += w2 * d2;
        double esum = productError(w1, e(r, toO1), d1, deltaErrors[0]) + productError(w2, e(r, toO2), d2, deltaErrors[1]) + EPS * Math.abs(sum);
        double a = v(r, hidden);
        double s = SIGMOID.derivative(Double.NaN, a);
        double es = Math.abs(1 - 2 * a) * e(r, hidden) + 2 * EPS * Math.abs(s);
        double delta = sum * s;
        double edelta = productError(sum, esum, s, es);
        double x = v(r, input);
        value = 0.0 + delta * x;
        bound = productError(delta, edelta, x, e(r, input));
    }

    /** w ← w − η·∂E/∂w from the row before. */
    private void update(int r, Quantity weight, Quantity gradient) {
        double w = v(r - 1, weight);
        double g = v(r - 1, gradient);
        double step = Backprop.step(rate, g);
        value = w + step;
        bound = e(r - 1, weight) + Math.abs(rate) * e(r - 1, gradient) + Math.abs(g) * rateError
                + EPS * Math.abs(step) + EPS * Math.abs(value);
    }

    /** First-order error of a·b from the errors of a and b, plus the product's own rounding. */
    private static double productError(double a, double ea, double b, double eb) {
        return Math.abs(a) * eb + Math.abs(b) * ea + ea * eb + EPS * Math.abs(a * b);
    }
}
