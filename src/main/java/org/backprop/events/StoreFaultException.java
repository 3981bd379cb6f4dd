package org.backprop.events;

import org.backprop.model.BackpropException;

/**
 * The disk or the file under a store failed: it is full, it cannot be written or read, or the file is corrupt. Not bad
 * input and not a store that went away for a while, so it is said at once, in its own words, and nothing is retried.
 */
public final class StoreFaultException extends BackpropException {
    private static final long serialVersionUID = 1L;

    /** What failed. */
    public enum Kind {
        DISK_FULL, IO_ERROR, CORRUPT
    }

    private final Kind kind;

    public StoreFaultException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
