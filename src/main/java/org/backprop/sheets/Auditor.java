package org.backprop.sheets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.backprop.sheets.check.ExactRun;
import org.backprop.sheets.check.Precision;
import org.backprop.sheets.check.TableCheck;
import org.backprop.sheets.diagnosis.Diagnosis;
import org.backprop.sheets.find.FoundTable;
import org.backprop.sheets.find.TableFinder;
import org.backprop.sheets.find.TableGrid;
import org.backprop.sheets.read.SheetCells;
import org.backprop.sheets.read.SheetFile;

/**
 * Audits hand-made backprop tables in .xlsx workbooks: finds every table on every sheet (or the sheets named), checks
 * each computed cell from its own inputs, explains the first wrong one, and compares the table's end with the exact run
 * from its first row.
 */
public final class Auditor {
    private final Set<String> sheets;
    private final double fallbackRate;

    /**
     * @param sheets       the sheets to search, or empty for all
     * @param fallbackRate the learning rate of a table that states none ({@code --lr}), or NaN
     */
    public Auditor(List<String> sheets, double fallbackRate) {
        this.sheets = new LinkedHashSet<>(sheets);
        this.fallbackRate = fallbackRate;
    }

    /** The file's audit; a file that is not a readable .xlsx, or holds no table, is a {@link SheetFileException}. */
    public FileAudit audit(Path path) {
        return audit(SheetFile.open(path));
    }

    FileAudit audit(SheetFile file) {
        List<String> names = file.sheets().stream().map(SheetCells::name).toList();
        for (String wanted : sheets) {
            if (!names.contains(wanted)) {
                throw new SheetFileException(file.path() + " has no sheet '" + HeaderNames.printable(wanted) + "': its sheets are " + quoted(names)
                        + "; give one of them to --sheet");
            }
        }
        List<TableAudit> tables = new ArrayList<>();
        List<String> without = new ArrayList<>();
        for (SheetCells sheet : file.sheets()) {
            if (!sheets.isEmpty() && !sheets.contains(sheet.name())) {
                continue;
            }
            List<FoundTable> found = TableFinder.find(sheet, fallbackRate);
            if (found.isEmpty()) {
                without.add(sheet.name());
            }
            for (FoundTable t : found) {
                tables.add(audit(file, sheet, t));
            }
        }
        if (tables.isEmpty()) {
            throw new SheetFileException(file.path() + " holds no backprop table: no " + (sheets.isEmpty() ? "sheet" : "sheet named")
                    + " has a header row naming the columns t1 t2 i1 i2 w1..w4 h1 a_h1 h2 a_h2 w5..w8 o1 a_o1 o2 a_o2 E1 E2 E_tot"
                    + " ∂E/∂w1..∂E/∂w8 side by side (" + (sheets.isEmpty() ? names.size() : sheets.size()) + " searched); give a file with the tutorial's table");
        }
        return new FileAudit(file.path().toString(), file.fileName(), file.sha256(), file.application(), tables, without);
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(n -> "'" + HeaderNames.printable(n) + "'").toList());
    }

    static TableAudit audit(SheetFile file, SheetCells sheet, FoundTable table) {
        String reason = notAuditable(table);
        if (reason != null) {
            return new TableAudit(table, Verdict.NOT_AUDITABLE, reason, null, null, null, null);
        }
        Precision precision = Precision.of(table.grid(), file.application());
        TableCheck check = TableCheck.of(table, precision);
        Diagnosis diagnosis = check.wrong() == null ? null : Diagnosis.of(file.formulas(), sheet, table, check.wrong());
        ExactRun exact = ExactRun.of(ExactRun.config(table.sheet() + "!" + table.position(), table.grid(), table.rate().value()), table.grid());
        Verdict verdict = check.wrong() != null ? Verdict.DEFECTIVE : check.exact() ? Verdict.EXACT : Verdict.WITHIN_PRECISION;
        return new TableAudit(table, verdict, null, precision, check, diagnosis, exact);
    }

    /** Why a table cannot be checked, or null when it can. */
    static String notAuditable(FoundTable table) {
        List<Quantity> missing = table.missing();
        if (!missing.isEmpty()) {
            return (missing.size() == 1 ? "the column " : "the columns ") + String.join(", ", missing.stream().map(Quantity::label).toList())
                    + (missing.size() == 1 ? " is" : " are") + " missing (its header names " + (Quantity.count() - missing.size()) + " of the 31)";
        }
        if (table.dataRows() == 0) {
            return "it has no data rows under its header";
        }
        if (table.dataRows() == 1) {
            return "it has one data row only: each row's weights are checked from the row before, so the audit needs at least two";
        }
        TableGrid grid = table.grid();
        for (Quantity q : Quantity.values()) {
            if (q.isInput(true) && !grid.isNumber(0, q)) {
                String shown = grid.shown(0, q);
                return q.label() + " in row " + grid.excelRow(0) + " holds " + (shown.isEmpty() ? "nothing" : shown)
                        + ", not a number: the audit starts from the first row's inputs, targets and weights";
            }
        }
        if (table.rate() == null) {
            return "it states no learning rate (no labelled cell such as 'η =' above it, and none in the sheet's name): give --lr RATE";
        }
        if (!(table.rate().value() > 0) || Double.isInfinite(table.rate().value())) {
            return "its learning rate (" + table.rate().source() + ") is " + table.rate().value() + ": a rate is a number greater than 0";
        }
        int formulas = 0;
        int uncached = 0;
        for (int r = 0; r < grid.rows(); r++) {
            for (Quantity q : Quantity.values()) {
                formulas += grid.isFormula(r, q) ? 1 : 0;
                uncached += grid.shown(r, q).startsWith("(a formula without") ? 1 : 0;
            }
        }
        if (uncached > 0 && formulas == 0) {
            return "its formulas have no cached values (the file was written by a program that does not calculate): open it in"
                    + " Excel or LibreOffice, save it, and audit it again";
        }
        return null;
    }
}
