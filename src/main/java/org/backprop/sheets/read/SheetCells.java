package org.backprop.sheets.read;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The cells of one sheet, row by row (0-based rows and columns, as POI counts), read once from the file. */
public final class SheetCells {
    /** A shared formula's master: its text and the cell it is written for. */
    public record SharedFormula(String formula, int row, int column) {
    }

    private final String name;
    private final int index;
    private final TreeMap<Integer, List<Cell>> rows = new TreeMap<>();
    private final Map<Integer, SharedFormula> shared;

    SheetCells(String name, int index, List<Cell> cells, Map<Integer, SharedFormula> shared) {
        this.name = name;
        this.index = index;
        this.shared = Map.copyOf(shared);
        for (Cell c : cells) {
            rows.computeIfAbsent(c.row(), r -> new ArrayList<>()).add(c);
        }
        rows.values().forEach(r -> r.sort(java.util.Comparator.comparingInt(Cell::column)));
    }

    public String name() {
        return name;
    }

    /** Its place among the workbook's sheets, from 0. */
    public int index() {
        return index;
    }

    /** The rows that hold cells, in order. */
    public Iterable<Integer> rowNumbers() {
        return rows.keySet();
    }

    public int lastRow() {
        return rows.isEmpty() ? -1 : rows.lastKey();
    }

    /** The row's cells in column order; empty for a row without any. */
    public List<Cell> row(int row) {
        List<Cell> r = rows.get(row);
        return r == null ? List.of() : Collections.unmodifiableList(r);
    }

    /** The cell at (row, column), or null. */
    public Cell cell(int row, int column) {
        List<Cell> r = rows.get(row);
        if (r == null) {
            return null;
        }
        int lo = 0;
        int hi = r.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = r.get(mid).column();
            if (c == column) {
                return r.get(mid);
            }
            if (c < column) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }

    /** The master of shared formula {@code si}, or null. */
    public SharedFormula sharedFormula(int si) {
        return shared.get(si);
    }
}
