package org.backprop.sheets.find;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.FormulaError;
import org.apache.poi.ss.util.CellAddress;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.backprop.sheets.HeaderNames;
import org.backprop.sheets.Quantity;

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
    public static List<FoundTable> find(XSSFSheet sheet, int sheetIndex, double fallbackRate) {
        List<int[]> headers = new ArrayList<>();
        List<Integer> headerRows = new ArrayList<>();
        for (int r = sheet.getFirstRowNum(); r >= 0 && r <= sheet.getLastRowNum(); r++) {
            XSSFRow row = sheet.getRow(r);
            if (row == null) {
                continue;
            }
            for (int[] columns : headerRuns(row)) {
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
            if (isDescriptive(sheet.getRow(first), columns)) {
                first++;
            }
            int last = first - 1;
            for (int r = first; r <= sheet.getLastRowNum(); r++) {
                XSSFRow row = sheet.getRow(r);
                if (row == null || isEmpty(row, columns) || headerRows.contains(r)) {
                    break;
                }
                last = r;
            }
            LearningRate rate = rate(sheet, headerRow, previousEnd, columns, fallbackRate);
            tables.add(new FoundTable(sheet.getSheetName(), sheetIndex, headerRow, columns, first, last, grid(sheet, columns, first, last), rate));
            previousEnd = Math.max(previousEnd, last);
        }
        return tables;
    }

    /** The runs of header names in one row: for each, the column of every quantity it names (-1 for the others). */
    static List<int[]> headerRuns(XSSFRow row) {
        TreeMap<Integer, Quantity> named = new TreeMap<>();
        for (var cell : row) {
            XSSFCell c = (XSSFCell) cell;
            if (c.getCellType() == CellType.STRING) {
                Quantity q = HeaderNames.quantity(c.getStringCellValue());
                if (q != null) {
                    named.put(c.getColumnIndex(), q);
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
    private static boolean isDescriptive(XSSFRow row, int[] columns) {
        if (row == null) {
            return false;
        }
        boolean text = false;
        for (int c : columns) {
            XSSFCell cell = c < 0 ? null : row.getCell(c);
            if (cell == null) {
                continue;
            }
            CellType t = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
            if (t == CellType.NUMERIC) {
                return false;
            }
            text |= t == CellType.STRING && !cell.getStringCellValue().isBlank();
        }
        return text;
    }

    private static boolean isEmpty(XSSFRow row, int[] columns) {
        for (int c : columns) {
            XSSFCell cell = c < 0 ? null : row.getCell(c);
            if (cell != null && cell.getCellType() != CellType.BLANK
                    && !(cell.getCellType() == CellType.STRING && cell.getStringCellValue().isBlank())) {
                return false;
            }
        }
        return true;
    }

    private static TableGrid grid(XSSFSheet sheet, int[] columns, int first, int last) {
        TableGrid grid = new TableGrid(Math.max(0, last - first + 1));
        for (int r = first; r <= last; r++) {
            int i = r - first;
            grid.sheetRow(i, r);
            XSSFRow row = sheet.getRow(r);
            for (Quantity q : Quantity.values()) {
                int c = columns[q.ordinal()];
                XSSFCell cell = c < 0 || row == null ? null : row.getCell(c);
                read(grid, i, q, cell);
            }
        }
        return grid;
    }

    private static void read(TableGrid grid, int row, Quantity q, XSSFCell cell) {
        if (cell == null) {
            grid.set(row, q, Double.NaN, TableGrid.NOT_A_NUMBER, 0, "");
            return;
        }
        boolean formula = cell.getCellType() == CellType.FORMULA;
        CellType type = formula ? cell.getCachedFormulaResultType() : cell.getCellType();
        String raw = cell.getCTCell().isSetV() ? cell.getCTCell().getV() : null;
        switch (type) {
            case NUMERIC -> {
                if (raw == null) {
                    grid.set(row, q, Double.NaN, TableGrid.NOT_A_NUMBER, 0, formula ? "(a formula without a cached value)" : "");
                } else {
                    grid.set(row, q, cell.getNumericCellValue(), formula ? TableGrid.FORMULA : TableGrid.TYPED, significantDigits(raw), null);
                }
            }
            case STRING -> grid.set(row, q, Double.NaN, TableGrid.NOT_A_NUMBER, 0, "'" + cell.getStringCellValue() + "'");
            case ERROR -> grid.set(row, q, Double.NaN, TableGrid.NOT_A_NUMBER, 0, errorText(cell));
            case BOOLEAN -> grid.set(row, q, Double.NaN, TableGrid.NOT_A_NUMBER, 0, Boolean.toString(cell.getBooleanCellValue()).toUpperCase());
            default -> grid.set(row, q, Double.NaN, TableGrid.NOT_A_NUMBER, 0, "");
        }
    }

    private static String errorText(XSSFCell cell) {
        try {
            return FormulaError.forInt(cell.getErrorCellValue()).getString();
        } catch (RuntimeException e) {
            return "#ERROR";
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
    private static LearningRate rate(XSSFSheet sheet, int headerRow, int previousEnd, int[] columns, double fallbackRate) {
        int left = Integer.MAX_VALUE;
        int right = -1;
        for (int c : columns) {
            if (c >= 0) {
                left = Math.min(left, c);
                right = Math.max(right, c);
            }
        }
        for (int r = headerRow - 1; r > previousEnd && r >= 0; r--) {
            XSSFRow row = sheet.getRow(r);
            if (row == null) {
                continue;
            }
            LearningRate best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (var cell : row) {
                XSSFCell c = (XSSFCell) cell;
                if (c.getCellType() != CellType.STRING || !HeaderNames.isRateLabel(c.getStringCellValue())) {
                    continue;
                }
                XSSFCell value = valueBeside(sheet, row, c);
                int col = c.getColumnIndex();
                int distance = col < left ? left - col : col > right ? col - right : 0;
                if (value != null && distance < bestDistance) {
                    bestDistance = distance;
                    String raw = value.getCTCell().getV();
                    best = new LearningRate(value.getNumericCellValue(), "cell " + value.getReference() + ", labelled '"
                            + c.getStringCellValue().strip() + "'", new CellAddress(value),
                            value.getCellType() == CellType.FORMULA ? significantDigits(raw) : 0);
                }
            }
            if (best != null) {
                return best;
            }
        }
        double named = HeaderNames.rateInSheetName(sheet.getSheetName());
        if (!Double.isNaN(named)) {
            return new LearningRate(named, "the sheet's name '" + sheet.getSheetName() + "'", null, 0);
        }
        return Double.isNaN(fallbackRate) ? null : new LearningRate(fallbackRate, "--lr", null, 0);
    }

    /** The number a label labels: the first filled cell within four columns to its right, else the cell below it. */
    private static XSSFCell valueBeside(XSSFSheet sheet, XSSFRow row, XSSFCell label) {
        for (int c = label.getColumnIndex() + 1; c <= label.getColumnIndex() + 4; c++) {
            XSSFCell cell = row.getCell(c);
            if (cell == null || cell.getCellType() == CellType.BLANK) {
                continue;
            }
            return isNumber(cell) ? cell : null;
        }
        XSSFRow below = sheet.getRow(row.getRowNum() + 1);
        XSSFCell cell = below == null ? null : below.getCell(label.getColumnIndex());
        return cell != null && isNumber(cell) ? cell : null;
    }

    private static boolean isNumber(XSSFCell cell) {
        CellType t = cell.getCellType() == CellType.FORMULA ? cell.getCachedFormulaResultType() : cell.getCellType();
        return t == CellType.NUMERIC && cell.getCTCell().isSetV();
    }
}
