package org.backprop.events;

import org.backprop.model.BackpropException;

/** A query its user cancelled (Ctrl-C) while the store ran it; nothing was changed, as a query changes nothing. */
public final class QueryCancelledException extends BackpropException {
    private static final long serialVersionUID = 1L;

    public QueryCancelledException(String message, Throwable cause) {
        super(message, cause);
    }
}
