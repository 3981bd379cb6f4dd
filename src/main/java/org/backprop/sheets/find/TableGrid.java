package org.backprop.sheets.find;

import org.backprop.sheets.Quantity;

/**
 * The cells of one table as plain values, row by row in the {@link Quantity} order: the number each holds (NaN when it
 * holds none), whether it was typed or computed by a formula, and how many significant digits its stored value has.
 * The checks read these arrays only, never the workbook.
 */
public final class TableGrid {
    /** A cell without a number: blank, text, an error value, or a formula without a cached value. */
    public static final byte NOT_A_NUMBER = 0;
    public static final byte TYPED = 1;
    public static final byte FORMULA = 2;

    private static final int Q = Quantity.count();
    private final int rows;
    private final int[] sheetRows;
    private final double[] values;
    private final byte[] kinds;
    private final byte[] digits;
    private final String[] shown;

    TableGrid(int rows) {
        this.rows = rows;
        this.sheetRows = new int[rows];
        this.values = new double[rows * Q];
        this.kinds = new byte[rows * Q];
        this.digits = new byte[rows * Q];
        this.shown = new String[rows * Q];
        java.util.Arrays.fill(values, Double.NaN);
    }

    void set(int row, Quantity q, double value, byte kind, int significantDigits, String text) {
        int i = row * Q + q.ordinal();
        values[i] = value;
        kinds[i] = kind;
        digits[i] = (byte) significantDigits;
        shown[i] = text;
    }

    void sheetRow(int row, int zeroBasedSheetRow) {
        sheetRows[row] = zeroBasedSheetRow;
    }

    public int rows() {
        return rows;
    }

    /** The row's number as the spreadsheet shows it (1-based). */
    public int excelRow(int row) {
        return sheetRows[row] + 1;
    }

    public double value(int row, Quantity q) {
        return values[row * Q + q.ordinal()];
    }

    public boolean isNumber(int row, Quantity q) {
        return kinds[row * Q + q.ordinal()] != NOT_A_NUMBER;
    }

    public boolean isFormula(int row, Quantity q) {
        return kinds[row * Q + q.ordinal()] == FORMULA;
    }

    public int digits(int row, Quantity q) {
        return digits[row * Q + q.ordinal()];
    }

    /** What a cell without a number shows: its text, its error value ("#VALUE!"), or "" when blank. */
    public String shown(int row, Quantity q) {
        String s = shown[row * Q + q.ordinal()];
        return s == null ? "" : s;
    }
}
