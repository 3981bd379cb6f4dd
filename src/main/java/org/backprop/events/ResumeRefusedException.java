package org.backprop.events;

import org.backprop.model.BackpropException;

/** A run that cannot be resumed: it has ended, or a live process is still writing it; the message says which and what to do. */
public final class ResumeRefusedException extends BackpropException {
    private static final long serialVersionUID = 1L;

    public ResumeRefusedException(String message) {
        super(message);
    }

    public ResumeRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
