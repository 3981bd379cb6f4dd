package org.backprop.model;

/** A network, data set or training setting that cannot be trained as given; the message names the value and the fix. */
public final class InvalidNetworkException extends BackpropException {
    private static final long serialVersionUID = 1L;

    public InvalidNetworkException(String message) {
        super(message);
    }
}
