package org.backprop.sheets.check;

import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import org.backprop.sheets.Quantity;
import org.backprop.sheets.find.FoundTable;
import org.backprop.sheets.find.TableGrid;

/**
 * Checks every computed cell of a table from its own inputs as they stand in the sheet, so the first wrong cell (in
 * reading order, row by row) is where an error starts rather than where it spreads.
 *
 * @param wrong       the first wrong cell, or null
 * @param wrongCells  how many cells are wrong
 * @param typedCells  how many hold typed numbers where formulas belong (pasted values), right or wrong
 * @param exact       whether every checked cell is within 1e-12 (relative) of its expected value
 * @param checked     how many cells were checked
 */
public record TableCheck(WrongCell wrong, int wrongCells, Set<Quantity> wrongColumns, int typedCells, boolean exact,
                         int checked, double largestRelative) {
    /** Differences up to this (relative) count as exact. */
    public static final double EXACT = 1e-12;
    /** The propagated bound is first order and per operation; this margin keeps a correct cell from being failed by it. */
    static final double MARGIN = 4;

    public TableCheck {
        wrongColumns = Set.copyOf(wrongColumns);
    }

    public static TableCheck of(FoundTable table, Precision precision) {
        TableGrid grid = table.grid();
        double rate = table.rate().value();
        double rateError = table.rate().digits() == 0 ? 0.0 : Math.abs(rate) * Precision.relative(table.rate().digits());
        Expectations x = new Expectations(grid, precision, rate, rateError);
        Quantity[] order = Arrays.stream(Quantity.values()).sorted(Comparator.comparingInt(table::column)).toArray(Quantity[]::new);
        WrongCell first = null;
        int wrongCells = 0;
        int typed = 0;
        int checked = 0;
        boolean exact = true;
        double largest = 0;
        Set<Quantity> columns = EnumSet.noneOf(Quantity.class);
        for (int r = 0; r < grid.rows(); r++) {
            for (Quantity q : order) {
                if (q.isInput(r == 0) || !x.expect(r, q)) {
                    continue;
                }
                checked++;
                boolean isTyped = grid.isNumber(r, q) && !grid.isFormula(r, q);
                typed += isTyped ? 1 : 0;
                double found = grid.value(r, q);
                double difference = Math.abs(found - x.value);
                double allowed = MARGIN * (x.bound + x.uncertainty(r, q)) + Double.MIN_NORMAL;
                double scale = Math.max(Math.abs(found), Math.abs(x.value));
                double relative = scale == 0 ? 0 : difference / scale;
                if (!(difference <= allowed)) {
                    wrongCells++;
                    columns.add(q);
                    if (first == null) {
                        first = new WrongCell(r, q, found, grid.shown(r, q), x.value, allowed, isTyped);
                    }
                    exact = false;
                } else {
                    largest = Math.max(largest, relative);
                    exact &= relative <= EXACT;
                }
            }
        }
        return new TableCheck(first, wrongCells, columns, typed, exact && typed == 0, checked, largest);
    }
}
