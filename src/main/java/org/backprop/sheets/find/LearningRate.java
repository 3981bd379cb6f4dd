package org.backprop.sheets.find;

import org.apache.poi.ss.util.CellAddress;

/**
 * A table's learning rate and where it came from: a labelled cell near the table, the sheet's name, or {@code --lr}.
 *
 * @param cell   the rate's cell, or null when it came from the sheet's name or the command line
 * @param digits significant digits of a rate computed by a formula, or 0 for a typed (exact) rate
 */
public record LearningRate(double value, String source, CellAddress cell, int digits) {
}
