package org.backprop.sheets.diagnosis;

import org.backprop.sheets.Quantity;

/**
 * One cell a formula refers to, and what it is in the table's terms.
 *
 * @param address   as written in the formula, with its $ signs ("G21", "$G$19", "Sheet2!A1")
 * @param quantity  the table's quantity in that cell's column, or null when it is not a data cell of the table
 * @param excelRow  the cell's row number as the sheet shows it
 * @param column    the cell's column, from 0 (on another sheet: -1)
 * @param rowOffset its row relative to the formula's own (-1: the row before)
 * @param rate      whether it is the learning rate's cell
 * @param rowAnchored whether its row is absolute ($19)
 * @param meaning   in words: "a_h1", "w3 of row 21", "the learning rate", "the header cell 'w3'", "a cell outside the table"
 */
public record Reference(String address, Quantity quantity, int excelRow, int column, int rowOffset, boolean rate, boolean rowAnchored, String meaning) {

    /** Whether this is the needed quantity of the needed row. */
    boolean is(Quantity q, int offset) {
        return quantity == q && rowOffset == offset;
    }
}
