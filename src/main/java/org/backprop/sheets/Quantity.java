package org.backprop.sheets;

import java.util.List;

/**
 * The 31 columns of the tutorial's hand-computed table, in its order, named as the {@code epoch_sheet} view names
 * them, with what each one is computed from: the cells of its own row, and for a weight after the first row the row
 * before it and the learning rate.
 */
public enum Quantity {
    T1, T2, I1, I2, W1, W2, W3, W4, H1, A_H1, H2, A_H2, W5, W6, W7, W8, O1, A_O1, O2, A_O2, E1, E2, E_TOT,
    DE_DW1, DE_DW2, DE_DW3, DE_DW4, DE_DW5, DE_DW6, DE_DW7, DE_DW8;

    private static final Quantity[] ALL = values();
    private static final Quantity[] WEIGHTS = {W1, W2, W3, W4, W5, W6, W7, W8};
    private static final Quantity[] GRADIENTS = {DE_DW1, DE_DW2, DE_DW3, DE_DW4, DE_DW5, DE_DW6, DE_DW7, DE_DW8};

    /** A cell this quantity's formula needs: a quantity of the same row ({@code rowOffset} 0) or of the row before (-1). */
    public record Need(Quantity quantity, int rowOffset) {
    }

    /** The {@code epoch_sheet} column name: t1, a_h1, e_tot, de_dw3. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The family that spelling mistakes stay within (w3 for w1, a_h1 for a_h2): its label without the last digit. */
    public String family() {
        String l = label();
        return Character.isDigit(l.charAt(l.length() - 1)) ? l.substring(0, l.length() - 1) : l;
    }

    public static Quantity of(int ordinal) {
        return ALL[ordinal];
    }

    public static int count() {
        return ALL.length;
    }

    /** w1..w8 by index 0..7. */
    public static Quantity weight(int index) {
        return WEIGHTS[index];
    }

    /** ∂E/∂w1..∂E/∂w8 by index 0..7. */
    public static Quantity gradient(int index) {
        return GRADIENTS[index];
    }

    public boolean isWeight() {
        return weightIndex() >= 0;
    }

    /** 0..7 for w1..w8, else -1. */
    public int weightIndex() {
        for (int i = 0; i < WEIGHTS.length; i++) {
            if (WEIGHTS[i] == this) {
                return i;
            }
        }
        return -1;
    }

    /** Inputs of every row (targets and inputs) and the first row's weights are typed in: nothing to check. */
    public boolean isInput(boolean firstRow) {
        return this == T1 || this == T2 || this == I1 || this == I2 || firstRow && isWeight();
    }

    /** Whether the cell needs the learning rate: a weight after the first row. */
    public boolean needsRate(boolean firstRow) {
        return isWeight() && !firstRow;
    }

    /** The needs of every quantity in a first row and in a later one, worked out once: the checks ask for them per cell. */
    private static final List<List<Need>> FIRST_ROW_NEEDS = java.util.Arrays.stream(ALL).map(q -> q.computeNeeds(true)).toList();
    private static final List<List<Need>> LATER_ROW_NEEDS = java.util.Arrays.stream(ALL).map(q -> q.computeNeeds(false)).toList();

    /** The cells the quantity's formula needs, in a row that is the table's first when {@code firstRow}. */
    public List<Need> needs(boolean firstRow) {
        return (firstRow ? FIRST_ROW_NEEDS : LATER_ROW_NEEDS).get(ordinal());
    }

    private List<Need> computeNeeds(boolean firstRow) {
        if (isWeight()) {
            return firstRow ? List.of() : List.of(new Need(this, -1), new Need(gradient(weightIndex()), -1));
        }
        return switch (this) {
            case H1 -> same(W1, I1, W2, I2);
            case H2 -> same(W3, I1, W4, I2);
            case A_H1 -> same(H1);
            case A_H2 -> same(H2);
            case O1 -> same(W5, A_H1, W6, A_H2);
            case O2 -> same(W7, A_H1, W8, A_H2);
            case A_O1 -> same(O1);
            case A_O2 -> same(O2);
            case E1 -> same(T1, A_O1);
            case E2 -> same(T2, A_O2);
            case E_TOT -> same(E1, E2);
            case DE_DW1 -> same(A_O1, T1, W5, A_O2, T2, W7, A_H1, I1);
            case DE_DW2 -> same(A_O1, T1, W5, A_O2, T2, W7, A_H1, I2);
            case DE_DW3 -> same(A_O1, T1, W6, A_O2, T2, W8, A_H2, I1);
            case DE_DW4 -> same(A_O1, T1, W6, A_O2, T2, W8, A_H2, I2);
            case DE_DW5 -> same(A_O1, T1, A_H1);
            case DE_DW6 -> same(A_O1, T1, A_H2);
            case DE_DW7 -> same(A_O2, T2, A_H1);
            case DE_DW8 -> same(A_O2, T2, A_H2);
            default -> List.of();
        };
    }

    private static List<Need> same(Quantity... qs) {
        return java.util.Arrays.stream(qs).map(q -> new Need(q, 0)).toList();
    }
}
