package org.backprop.events;

import org.backprop.model.BackpropException;

/**
 * A store that could be reached went away while a run was recorded into it (the process serving it exited and none
 * took over, a server stopped) and stayed away: what was committed is kept, and the run can be resumed.
 */
public final class StoreLostException extends BackpropException {
    private static final long serialVersionUID = 1L;

    public StoreLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
