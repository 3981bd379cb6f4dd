package org.backprop.events;

import org.backprop.model.BackpropException;

/** A query for the {@code sql} command that is invalid or would write. */
public final class InvalidQueryException extends BackpropException {
    private static final long serialVersionUID = 1L;

    public InvalidQueryException(String message) {
        super(message);
    }
}
