package org.backprop.events;

import org.backprop.model.BackpropException;

/** The store could not be opened, read or written; the message names the store and what to do. */
public final class StoreException extends BackpropException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
