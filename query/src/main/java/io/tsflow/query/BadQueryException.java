package io.tsflow.query;

/** A query the caller got wrong: answered with HTTP 400 and this message. */
public class BadQueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BadQueryException(String message) {
        super(message);
    }
}
