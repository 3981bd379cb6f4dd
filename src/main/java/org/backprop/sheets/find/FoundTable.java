package org.backprop.sheets.find;

import java.util.List;
import org.apache.poi.ss.util.CellAddress;
import org.backprop.sheets.Quantity;

/**
 * One table found on a sheet: where its header is, which column holds each quantity ({@code -1} when none does), its
 * data rows, its cells and its learning rate (null when none is known).
 *
 * @param headerRow the header's row, 0-based as POI counts
 * @param firstRow  the first data row, 0-based
 * @param lastRow   the last data row, 0-based (below {@code firstRow} when the table has no data)
 */
public record FoundTable(String sheet, int sheetIndex, int headerRow, int[] columns, int firstRow, int lastRow,
                         TableGrid grid, LearningRate rate) {

    public FoundTable {
        columns = columns.clone();
    }

    public int column(Quantity q) {
        return columns[q.ordinal()];
    }

    /** The table's position: its header's first cell, as "A32". */
    public String position() {
        int first = Integer.MAX_VALUE;
        for (int c : columns) {
            if (c >= 0) {
                first = Math.min(first, c);
            }
        }
        return new CellAddress(headerRow, first).formatAsString();
    }

    public List<Quantity> missing() {
        return java.util.Arrays.stream(Quantity.values()).filter(q -> columns[q.ordinal()] < 0).toList();
    }

    /** The quantity in column {@code column}, or null when the table has none there. */
    public Quantity quantityAt(int column) {
        for (Quantity q : Quantity.values()) {
            if (columns[q.ordinal()] == column) {
                return q;
            }
        }
        return null;
    }

    public int dataRows() {
        return Math.max(0, lastRow - firstRow + 1);
    }

    @Override
    public int[] columns() {
        return columns.clone();
    }
}
