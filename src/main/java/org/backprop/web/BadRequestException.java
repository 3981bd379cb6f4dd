package org.backprop.web;

import org.backprop.model.BackpropException;

/** A request for something the page never asks for: a malformed number, an epoch out of range, an unknown page. */
final class BadRequestException extends BackpropException {
    private static final long serialVersionUID = 1L;
    private final int status;

    BadRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    static BadRequestException notFound(String message) {
        return new BadRequestException(404, message);
    }

    int status() {
        return status;
    }
}
