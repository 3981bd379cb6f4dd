package org.backprop.events;

import org.backprop.model.BackpropException;

/** Another writer appended to the run first: the run's version was not the one this append expected. */
public final class ConcurrentAppendException extends BackpropException {
    private static final long serialVersionUID = 1L;

    public ConcurrentAppendException(String message) {
        super(message);
    }

    public ConcurrentAppendException(String message, Throwable cause) {
        super(message, cause);
    }
}
