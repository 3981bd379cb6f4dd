package org.backprop.sheets.find;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.poi.ss.util.CellAddress;
import org.backprop.sheets.HeaderNames;
import org.backprop.sheets.Quantity;
import org.backprop.sheets.read.Cell;
import org.backprop.sheets.read.SheetCells;

/**
 * Finds the tables on a sheet: a header row naming most of the 31 quantities in one run of neighbouring cells
 * (starting in any column, on any row), then data rows below it, after an optional row of descriptive text, up to the
 * first empty row. A sheet may hold several tables; cells beside a table (a step column, a legend) are not part of it.
 */
public final class TableFinder {
    /** A header names at least this many distinct quantities: text above a table names a few, never most. */
    static final int MIN_NAMES = 16;
    /** Neighbouring header cells may be this many columns apart (an extra column or two inside the table). */
    private static final int MAX_GAP = 3;

    private TableFinder() {
    }

    /** Every table on the sheet, top to bottom; {@code fallbackRate} (NaN when none) serves a table that states no rate. */
    public static List<FoundTable> find(SheetCells sheet, double fallbackRate) {
        List<int[]> headers = new ArrayList<>();
        List<Integer> headerRows = new ArrayList<>();
        for (int r : sheet.rowNumbers()) {
            for (int[] columns : headerRuns(sheet.row(r))) {
                headers.add(columns);
                headerRows.add(r);
            }
        }
        List<FoundTable> tables = new ArrayList<>();
        int previousEnd = -1;
        for (int h = 0; h < headers.size(); h++) {
            int[] columns = headers.get(h);
            int headerRow = headerRows.get(h);
            int first = headerRow + 1;
            if (isDescriptive(sheet, first, columns)) {
                first++;
            }
            int last = first - 1;
            for (int r = first; r <= sheet.lastRow(); r++) {
                if (isEmpty(sheet, r, columns) || headerRows.contains(r)) {
                    break;
                }
                last = r;
            }
            LearningRate rate = rate(sheet, headerRow, previousEnd, columns, fallbackRate);
            tables.add(new FoundTable(sheet.name(), sheet.index(), headerRow, columns, first, last, grid(sheet, columns, first, last), rate));
            previousEnd = Math.max(previousEnd, last);
        }
        return tables;
    }

    /** The runs of header names in one row: for each, the column of every quantity it names (-1 for the others). */
    static List<int[]> headerRuns(List<Cell> row) {
        TreeMap<Integer, Quantity> named = new TreeMap<>();
        for (Cell c : row) {
            if (c.text() != null) {
                Quantity q = HeaderNames.quantity(c.text());
                if (q != null) {
                    named.put(c.column(), q);
                }
            }
        }
        List<int[]> runs = new ArrayList<>();
        if (named.size() < MIN_NAMES) {
            return runs;
        }
        Map<Quantity, Integer> run = new EnumMap<>(Quantity.class);
        int lastColumn = Integer.MIN_VALUE;
        for (Map.Entry<Integer, Quantity> e : named.entrySet()) {
            if (e.getKey() - lastColumn > MAX_GAP) {
                addRun(runs, run);
                run.clear();
            } else if (run.containsKey(e.getValue())) {
                // A name seen again (a legend's i1 before the table's): the run starts after its first appearance.
                int from = run.get(e.getValue());
                if (run.size() >= MIN_NAMES && !run.isEmpty()) {
                    addRun(runs, run);
                    run.clear();
                } else {
                    run.values().removeIf(c -> c <= from);
                }
            }
            run.put(e.getValue(), e.getKey());
            lastColumn = e.getKey();
        }
        addRun(runs, run);
        return runs;
    }

    private static void addRun(List<int[]> runs, Map<Quantity, Integer> run) {
        if (run.size() >= MIN_NAMES) {
            int[] columns = new int[Quantity.count()];
            java.util.Arrays.fill(columns, -1);
            run.forEach((q, c) -> columns[q.ordinal()] = c);
            runs.add(columns);
        }
    }

    /** A row of text under the header (units, explanations) with no number in the table's columns. */
    private static boolean isDescriptive(SheetCells sheet, int row, int[] columns) {
        boolean text = false;
        for (int c : columns) {
            Cell cell = c < 0 ? null : sheet.cell(row, c);
            if (cell == null) {
                continue;
            }
            if (cell.isNumber()) {
                return false;
            }
            text |= cell.text() != null && !cell.text().isBlank();
        }
        return text;
    }

    private static boolean isEmpty(SheetCells sheet, int row, int[] columns) {
        for (int c : columns) {
            Cell cell = c < 0 ? null : sheet.cell(row, c);
            if (cell != null && (cell.isFormula() || cell.kind() != Cell.Kind.BLANK && !(cell.text() != null && cell.text().isBlank()))) {
                return false;
            }
        }
        return true;
    }

    private static TableGrid grid(SheetCells sheet, int[] columns, int first, int last) {
        TableGrid grid = new TableGrid(Math.max(0, last - first + 1));
        for (int r = first; r <= last; r++) {
            int i = r - first;
            grid.sheetRow(i, r);
            for (Quantity q : Quantity.values()) {
                int c = columns[q.ordinal()];
                read(grid, i, q, c < 0 ? null : sheet.cell(r, c));
            }
        }
        return grid;
    }

    private static void read(TableGrid grid, int row, Quantity q, Cell cell) {
        if (cell == null) {
            grid.set(row, q, Double.NaN, TableGrid.NOT_A_NUMBER, 0, "");
            return;
        }
        boolean formula = cell.isFormula();
        switch (cell.kind()) {
            case NUMBER -> {
                double v;
                try {
                    v = cell.number();
                } catch (NumberFormatException e) {
                    grid.set(row, q, Double.NaN, TableGrid.NOT_A_NUMBER, 0, cell.raw());
                    return;
                }
                grid.set(row, q, v, formula ? TableGrid.FORMULA : TableGrid.TYPED, significantDigits(cell.raw()), null);
            }
            case STRING -> grid.set(row, q, Double.NaN, TableGrid.NOT_A_NUMBER, 0, "'" + cell.raw() + "'");
            case ERROR -> grid.set(row, q, Double.NaN, TableGrid.NOT_A_NUMBER, 0, cell.raw() == null ? "#ERROR" : cell.raw());
            case BOOLEAN -> grid.set(row, q, Double.NaN, TableGrid.NOT_A_NUMBER, 0, "1".equals(cell.raw()) ? "TRUE" : "FALSE");
            case BLANK -> grid.set(row, q, Double.NaN, TableGrid.NOT_A_NUMBER, 0, formula ? "(a formula without a cached value)" : "");
        }
    }

    /** Significant digits of a number as the file stores it: "2.7500000000000004E-2" has 17, "0.5" has 1. */
    public static int significantDigits(String raw) {
        int digits = 0;
        int trailingZeros = 0;
        boolean started = false;
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (ch == 'e' || ch == 'E') {
                break;
            }
            if (ch < '0' || ch > '9') {
                continue;
            }
            if (ch == '0' && !started) {
                continue;
            }
            started = true;
            digits++;
            trailingZeros = ch == '0' ? trailingZeros + 1 : 0;
        }
        return Math.max(1, digits - trailingZeros);
    }

    /** The rate from a labelled cell above the table (nearest first), else from the sheet's name, else the fallback. */
    private static LearningRate rate(SheetCells sheet, int headerRow, int previousEnd, int[] columns, double fallbackRate) {
        int left = Integer.MAX_VALUE;
        int right = -1;
        for (int c : columns) {
            if (c >= 0) {
                left = Math.min(left, c);
                right = Math.max(right, c);
            }
        }
        for (int r = headerRow - 1; r > previousEnd && r >= 0; r--) {
            LearningRate best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (Cell label : sheet.row(r)) {
                if (label.text() == null || !HeaderNames.isRateLabel(label.text())) {
                    continue;
                }
                Cell value = valueBeside(sheet, label);
                int col = label.column();
                int distance = col < left ? left - col : col > right ? col - right : 0;
                if (value != null && distance < bestDistance) {
                    bestDistance = distance;
                    CellAddress at = new CellAddress(value.row(), value.column());
                    best = new LearningRate(value.number(), "cell " + at.formatAsString() + ", labelled '" + label.text().strip() + "'", at,
                            value.isFormula() ? significantDigits(value.raw()) : 0);
                }
            }
            if (best != null) {
                return best;
            }
        }
        double named = HeaderNames.rateInSheetName(sheet.name());
        if (!Double.isNaN(named)) {
            return new LearningRate(named, "the sheet's name '" + sheet.name() + "'", null, 0);
        }
        return Double.isNaN(fallbackRate) ? null : new LearningRate(fallbackRate, "--lr", null, 0);
    }

    /** The number a label labels: the first filled cell within four columns to its right, else the cell below it. */
    private static Cell valueBeside(SheetCells sheet, Cell label) {
        for (int c = label.column() + 1; c <= label.column() + 4; c++) {
            Cell cell = sheet.cell(label.row(), c);
            if (cell == null || cell.kind() == Cell.Kind.BLANK && !cell.isFormula()) {
                continue;
            }
            return isNumber(cell) ? cell : null;
        }
        Cell below = sheet.cell(label.row() + 1, label.column());
        return below != null && isNumber(below) ? below : null;
    }

    private static boolean isNumber(Cell cell) {
        if (!cell.isNumber()) {
            return false;
        }
        try {
            cell.number();
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
