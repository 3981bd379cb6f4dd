package org.backprop.sheets.check;

import org.backprop.sheets.Quantity;

/**
 * A cell whose value is not what its inputs give.
 *
 * @param row       the table's data row, from 0
 * @param found     the number it holds, or NaN when it holds none ({@code shown} says what it holds then)
 * @param allowed   how far from {@code expected} its stored digits allowed it to be
 * @param typed     true when it holds a typed number where a formula belongs
 */
public record WrongCell(int row, Quantity quantity, double found, String shown, double expected, double allowed, boolean typed) {
}
