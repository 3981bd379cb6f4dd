package org.backprop.events;

import org.backprop.model.BackpropException;

/** A run's stored events are not what was recorded (an epoch is missing, say): the store was changed behind the application's back. */
public final class DamagedRunException extends BackpropException {
    private static final long serialVersionUID = 1L;

    public DamagedRunException(String message) {
        super(message);
    }

    /** The message for an epoch the run should hold but whose stored row is gone. */
    public static DamagedRunException missingEpoch(long runId, int epoch, int epochCount) {
        return new DamagedRunException("run " + runId + " has no stored epoch " + epoch + ", though its epochs run to " + (epochCount - 1)
                + ": the store was changed behind the application's back ('backprop verify " + runId + "' says what differs)");
    }
}
