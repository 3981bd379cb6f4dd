package org.backprop.diff;

import java.util.ArrayList;
import java.util.List;
import org.backprop.model.Parameters;

/**
 * One weight or bias of two runs side by side: its name ({@code w1..}, then {@code b1..}), run a's value, run b's and
 * {@code b − a}; null where a run has no such value.
 */
public record WeightDifference(String name, Double a, Double b, Double difference) {

    /** Every weight, then every bias, of {@code a} and {@code b} side by side; either may be null (that run has none). */
    public static List<WeightDifference> between(Parameters a, Parameters b) {
        List<WeightDifference> rows = new ArrayList<>();
        int weights = Math.max(a == null ? 0 : a.weightCount(), b == null ? 0 : b.weightCount());
        for (int i = 0; i < weights; i++) {
            rows.add(of("w" + (i + 1), a != null && i < a.weightCount() ? a.weight(i) : null,
                    b != null && i < b.weightCount() ? b.weight(i) : null));
        }
        int biases = Math.max(a == null ? 0 : a.biasCount(), b == null ? 0 : b.biasCount());
        for (int i = 0; i < biases; i++) {
            rows.add(of("b" + (i + 1), a != null && i < a.biasCount() ? a.bias(i) : null,
                    b != null && i < b.biasCount() ? b.bias(i) : null));
        }
        return rows;
    }

    private static WeightDifference of(String name, Double a, Double b) {
        return new WeightDifference(name, a, b, a != null && b != null ? b - a : null);
    }
}
