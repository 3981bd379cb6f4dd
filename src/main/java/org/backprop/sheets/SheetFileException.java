package org.backprop.sheets;

import org.backprop.model.BackpropException;

/** A file the audit cannot read as an .xlsx workbook with a table in it; the message names the problem and the fix. */
public final class SheetFileException extends BackpropException {
    private static final long serialVersionUID = 1L;

    public SheetFileException(String message) {
        super(message);
    }

    public SheetFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
