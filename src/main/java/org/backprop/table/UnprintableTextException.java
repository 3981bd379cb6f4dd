package org.backprop.table;

import org.backprop.model.BackpropException;

/** Text given to be recorded and printed later (a run name) that holds a character no output should carry: bad input. */
public final class UnprintableTextException extends BackpropException {
    private static final long serialVersionUID = 1L;

    public UnprintableTextException(String message) {
        super(message);
    }
}
