package org.backprop.sheets.read;

/**
 * One cell as the file stores it: its value as written (the digits of a number exactly as stored), whether a formula
 * computed it, and that formula.
 *
 * @param raw     a number's stored text ("2.7500000000000004E-2"), a string's or error's text, or null when it holds none
 * @param formula the formula without its '=', or null; for a cell of a shared formula the master's text, with {@code shared}
 * @param shared  for a cell of a shared formula, the sheet's index of it (its {@code si}); else -1
 */
public record Cell(int row, int column, Kind kind, String raw, String formula, int shared) {

    /** What a cell holds. */
    public enum Kind {
        NUMBER, STRING, BOOLEAN, ERROR, BLANK
    }

    public boolean isFormula() {
        return formula != null || shared >= 0;
    }

    /** Whether it holds a number (typed, or a formula's cached result). */
    public boolean isNumber() {
        return kind == Kind.NUMBER && raw != null;
    }

    public double number() {
        return Double.parseDouble(raw);
    }

    /** The text of a string cell, or null. */
    public String text() {
        return kind == Kind.STRING ? raw : null;
    }
}
