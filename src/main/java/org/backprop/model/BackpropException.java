package org.backprop.model;

/** The root of every failure this project reports on purpose; its message is one sentence that names the values involved. */
public class BackpropException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BackpropException(String message) {
        super(message);
    }

    public BackpropException(String message, Throwable cause) {
        super(message, cause);
    }
}
