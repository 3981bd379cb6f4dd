package org.backprop.sheets;

import org.backprop.sheets.check.ExactRun;
import org.backprop.sheets.check.Precision;
import org.backprop.sheets.check.TableCheck;
import org.backprop.sheets.diagnosis.Diagnosis;
import org.backprop.sheets.find.FoundTable;

/**
 * What the audit found in one table. For a not-auditable table only {@code table}, {@code verdict} and {@code reason}
 * are set; otherwise {@code check} and {@code exact} are, and {@code diagnosis} when a cell is wrong.
 */
public record TableAudit(FoundTable table, Verdict verdict, String reason, Precision precision, TableCheck check,
                         Diagnosis diagnosis, ExactRun exact) {

    /** The header's row as the spreadsheet shows it. */
    public int headerRow() {
        return table.headerRow() + 1;
    }

    public int firstRow() {
        return table.firstRow() + 1;
    }

    public int lastRow() {
        return table.lastRow() + 1;
    }

    /** The first wrong cell's address ("Z33"), or null. */
    public String firstWrongCell() {
        if (check == null || check.wrong() == null) {
            return null;
        }
        return new org.apache.poi.ss.util.CellAddress(table.firstRow() + check.wrong().row(), table.column(check.wrong().quantity())).formatAsString();
    }

    /** The column letters of a quantity in this table ("Z"). */
    public String columnOf(Quantity q) {
        return org.apache.poi.ss.util.CellReference.convertNumToColString(table.column(q));
    }
}
