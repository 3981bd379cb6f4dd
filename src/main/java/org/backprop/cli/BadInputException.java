package org.backprop.cli;

import org.backprop.model.BackpropException;

/** Input on the command line or in a file that cannot be used as given; the message says what to change. */
final class BadInputException extends BackpropException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message);
    }

    BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
