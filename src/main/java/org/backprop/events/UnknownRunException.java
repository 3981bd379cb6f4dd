package org.backprop.events;

import org.backprop.model.BackpropException;

/** A run id or name that the store does not hold. */
public final class UnknownRunException extends BackpropException {
    private static final long serialVersionUID = 1L;

    public UnknownRunException(String message) {
        super(message);
    }
}
