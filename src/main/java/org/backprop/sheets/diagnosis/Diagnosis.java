package org.backprop.sheets.diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.formula.ptg.AreaPtgBase;
import org.apache.poi.ss.formula.ptg.NumberPtg;
import org.apache.poi.ss.formula.ptg.AddPtg;
import org.apache.poi.ss.formula.ptg.AttrPtg;
import org.apache.poi.ss.formula.ptg.IntPtg;
import org.apache.poi.ss.formula.ptg.ParenthesisPtg;
import org.apache.poi.ss.formula.ptg.MultiplyPtg;
import org.apache.poi.ss.formula.ptg.Pxg;
import org.apache.poi.ss.formula.ptg.Ptg;
import org.apache.poi.ss.formula.ptg.RefPtgBase;
import org.apache.poi.ss.util.CellAddress;
import org.apache.poi.ss.util.CellReference;
import org.backprop.sheets.read.Cell;
import org.backprop.sheets.read.SheetCells;
import org.backprop.sheets.read.SheetFormulas;
import org.backprop.sheets.Quantity;
import org.backprop.sheets.check.WrongCell;
import org.backprop.sheets.find.FoundTable;

/**
 * Why a wrong cell is wrong, in one sentence drawn from the difference between the references its formula uses and
 * those its quantity needs ("uses a_h1 where a_h2 belongs"); when they agree, the arithmetic is wrong. The formula is
 * read with POI's own parser, so every reference, absolute or relative, in any form, is the cell Excel would use.
 *
 * @param formula    the formula as written ("=E33*C33+F33*D33"), or null for a typed number
 * @param references each reference of the formula, in order of appearance, and what it is in the table's terms
 * @param sentence   the diagnosis
 */
public record Diagnosis(String formula, Map<String, String> references, String sentence) {

    /** The diagnosis of {@code wrong} in {@code table} on {@code sheet}, its formula read by {@code formulas}. */
    public static Diagnosis of(SheetFormulas formulas, SheetCells sheet, FoundTable table, WrongCell wrong) {
        int sheetRow = table.firstRow() + wrong.row();
        Cell cell = sheet.cell(sheetRow, table.column(wrong.quantity()));
        boolean firstRow = wrong.row() == 0;
        if (cell == null || !cell.isFormula()) {
            String what = cell == null || cell.kind() == Cell.Kind.BLANK ? "an empty cell" : wrong.typed() ? "a typed number" : "typed text";
            return new Diagnosis(null, Map.of(), what + " where a formula belongs");
        }
        String formula;
        List<Reference> refs = new ArrayList<>();
        List<Double> numbers = new ArrayList<>();
        List<String> products = new ArrayList<>();
        Ptg[] ptgs;
        try {
            formula = formulas.text(sheet, cell);
            ptgs = formulas.tokens(sheet, cell);
            Reference[] operand = new Reference[ptgs.length];
            for (int i = 0; i < ptgs.length; i++) {
                Ptg p = ptgs[i];
                if (p instanceof RefPtgBase ref) {
                    operand[i] = reference(sheet, table, sheetRow, ref.getRow(), ref.getColumn(), !ref.isRowRelative(), !ref.isColRelative(),
                            p instanceof Pxg x ? x.getSheetName() : null);
                    refs.add(operand[i]);
                } else if (p instanceof MultiplyPtg && i >= 2) {
                    String product = outputTimesTarget(operand[i - 2], operand[i - 1]);
                    if (product != null) {
                        products.add(product);
                    }
                } else if (p instanceof AreaPtgBase area) {
                    for (int r = area.getFirstRow(); r <= Math.min(area.getLastRow(), area.getFirstRow() + 50); r++) {
                        for (int c = area.getFirstColumn(); c <= Math.min(area.getLastColumn(), area.getFirstColumn() + 50); c++) {
                            refs.add(reference(sheet, table, sheetRow, r, c, !area.isFirstRowRelative(), !area.isFirstColRelative(),
                                    p instanceof Pxg x ? x.getSheetName() : null));
                        }
                    }
                } else if (p instanceof NumberPtg n) {
                    numbers.add(n.getValue());
                } else if (p instanceof IntPtg n) {
                    numbers.add((double) n.getValue());
                }
            }
        } catch (RuntimeException e) {
            return new Diagnosis(cell.formula() == null ? null : "=" + cell.formula(), Map.of(), "the formula cannot be read (" + e.getMessage() + ")");
        }
        Map<String, String> meanings = new LinkedHashMap<>();
        refs.forEach(r -> meanings.putIfAbsent(r.address(), r.meaning()));
        String sentence = sentence(table, wrong, firstRow, refs, numbers);
        if (sentence.startsWith("its references are right") && isHiddenGradient(wrong.quantity()) && isSumAtTop(ptgs)) {
            // ((branch 1) + (branch 2))·a_h(1 − a_h)·i with the outer brackets lost: only the second branch is multiplied.
            Quantity.Need hidden = wrong.quantity().needs(true).get(6);
            Quantity.Need input = wrong.quantity().needs(true).get(7);
            sentence = "the sum of the two output branches is not in brackets, so only the last one is multiplied by "
                    + hidden.quantity().label() + "·(1 − " + hidden.quantity().label() + ")·" + input.quantity().label() + ": expected " + wrong.expected();
        }
        if (!products.isEmpty()) {
            // a_o·t where a_o − t belongs: the references may all be right while the operator is not.
            String times = String.join("; ", products);
            sentence = sentence.startsWith("its references are right") ? times : sentence + "; " + times;
        }
        return new Diagnosis(formula, meanings, sentence);
    }

    private static boolean isHiddenGradient(Quantity q) {
        return q == Quantity.DE_DW1 || q == Quantity.DE_DW2 || q == Quantity.DE_DW3 || q == Quantity.DE_DW4;
    }

    /** Whether the formula's last operation (its tokens are in reverse Polish order) is an addition. */
    private static boolean isSumAtTop(Ptg[] ptgs) {
        for (int i = ptgs.length - 1; i >= 0; i--) {
            Ptg p = ptgs[i];
            if (p instanceof ParenthesisPtg || p instanceof AttrPtg) {
                continue;
            }
            return p instanceof AddPtg;
        }
        return false;
    }

    /** "multiplies a_o1 by t1 where a_o1 − t1 belongs" when the two operands of a product are an output and a target. */
    private static String outputTimesTarget(Reference a, Reference b) {
        if (a == null || b == null || a.quantity() == null || b.quantity() == null || a.rowOffset() != 0 || b.rowOffset() != 0) {
            return null;
        }
        Reference output = a.quantity().family().equals("a_o") ? a : b.quantity().family().equals("a_o") ? b : null;
        Reference target = output == a ? b : a;
        if (output == null || !target.quantity().family().equals("t")) {
            return null;
        }
        return "multiplies " + output.quantity().label() + " by " + target.quantity().label() + " where " + output.quantity().label()
                + " − " + target.quantity().label() + " belongs";
    }

    private static Reference reference(SheetCells sheet, FoundTable table, int formulaRow, int row, int column, boolean rowAbsolute,
                                       boolean columnAbsolute, String otherSheet) {
        String address = (otherSheet != null ? otherSheet + "!" : "") + new CellReference(row, column, rowAbsolute, columnAbsolute).formatAsString();
        if (otherSheet != null && !otherSheet.equals(sheet.name())) {
            return new Reference(address, null, row + 1, -1, row - formulaRow, false, rowAbsolute, "a cell of the sheet '" + otherSheet + "'");
        }
        CellAddress rateCell = table.rate() == null ? null : table.rate().cell();
        if (rateCell != null && rateCell.getRow() == row && rateCell.getColumn() == column) {
            return new Reference(address, null, row + 1, column, row - formulaRow, true, rowAbsolute, "the learning rate");
        }
        Quantity q = table.quantityAt(column);
        if (q != null && row >= table.firstRow() && row <= table.lastRow()) {
            int offset = row - formulaRow;
            return new Reference(address, q, row + 1, column, offset, false, rowAbsolute, offset == 0 ? q.label() : q.label() + " of row " + (row + 1));
        }
        Cell c = sheet.cell(row, column);
        String content = c == null ? "empty" : c.isFormula() ? "a formula" : switch (c.kind()) {
            case STRING -> "'" + c.raw() + "'";
            case NUMBER -> "holding " + c.raw();
            case BOOLEAN, ERROR -> "holding " + c.raw();
            case BLANK -> "empty";
        };
        if (q != null && row == table.headerRow()) {
            return new Reference(address, null, row + 1, column, row - formulaRow, false, rowAbsolute, "the header cell " + content);
        }
        return new Reference(address, null, row + 1, column, row - formulaRow, false, rowAbsolute, "a cell outside the table, " + content);
    }

    private static String sentence(FoundTable table, WrongCell wrong, boolean firstRow, List<Reference> refs, List<Double> numbers) {
        Quantity q = wrong.quantity();
        List<Quantity.Need> needs = q.needs(firstRow);
        List<Quantity.Need> missing = new ArrayList<>();
        for (Quantity.Need n : needs) {
            if (refs.stream().noneMatch(r -> r.is(n.quantity(), n.rowOffset()))) {
                missing.add(n);
            }
        }
        List<Reference> extra = new ArrayList<>();
        for (Reference r : refs) {
            boolean needed = r.rate() && q.needsRate(firstRow)
                    || needs.stream().anyMatch(n -> r.is(n.quantity(), n.rowOffset()));
            if (!needed && extra.stream().noneMatch(x -> x.address().equals(r.address()))) {
                extra.add(r);
            }
        }
        boolean rateMissing = q.needsRate(firstRow) && refs.stream().noneMatch(Reference::rate);
        List<String> findings = new ArrayList<>();
        if (rateMissing) {
            CellAddress rateCell = table.rate() == null ? null : table.rate().cell();
            Reference slid = null;
            for (Reference r : extra) {
                // Filled down from a correct first formula, a relative reference to the rate cell slides down its column.
                if (rateCell != null && !r.rowAnchored() && r.column() == rateCell.getColumn() && r.excelRow() > rateCell.getRow() + 1) {
                    slid = r;
                    break;
                }
            }
            if (slid != null) {
                extra.remove(slid);
                findings.add("uses " + slid.address() + " (" + slid.meaning() + ") where the learning rate belongs: the reference to the rate cell is not anchored ("
                        + new CellReference(rateCell.getRow(), rateCell.getColumn(), true, true).formatAsString() + ")");
            } else if (!numbers.isEmpty()) {
                findings.add("uses the typed number " + numbers.get(0) + " where the learning rate" + (rateCell == null ? "" : " (" + rateCell + ")") + " belongs");
            } else {
                findings.add("does not use the learning rate" + (rateCell == null ? "" : " (" + rateCell + ")"));
            }
        }
        for (Quantity.Need m : missing) {
            String wanted = name(m);
            Reference instead = null;
            for (Reference r : extra) {
                if (r.quantity() != null && r.quantity().family().equals(m.quantity().family())) {
                    instead = r;
                    break;
                }
            }
            if (instead != null) {
                extra.remove(instead);
                findings.add(instead.rowOffset() == m.rowOffset() && m.quantity() != instead.quantity()
                        ? "uses " + instead.quantity().label() + " where " + m.quantity().label() + " belongs"
                        : "uses " + instead.meaning() + " where " + wanted + " belongs");
                continue;
            }
            Reference sameFamily = refs.stream().filter(r -> r.quantity() != null && r.quantity().family().equals(m.quantity().family())).findFirst().orElse(null);
            findings.add(sameFamily != null ? "uses " + sameFamily.meaning() + " where " + wanted + " belongs" : "leaves out " + wanted);
        }
        for (Reference r : extra) {
            findings.add("uses " + r.address() + " (" + r.meaning() + "), which " + q.label() + " does not depend on");
        }
        if (findings.isEmpty()) {
            return Double.isNaN(wrong.found())
                    ? "its references are right, yet it holds " + (wrong.shown().isEmpty() ? "nothing" : wrong.shown()) + " instead of a number: expected " + wrong.expected()
                    : "its references are right, so the arithmetic is wrong (brackets, signs, operators): expected " + wrong.expected();
        }
        return String.join("; ", findings);
    }

    private static String name(Quantity.Need n) {
        return n.rowOffset() == 0 ? n.quantity().label() : n.quantity().label() + " of the row before";
    }
}
