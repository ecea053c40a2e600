package io.tsflow.common.config;

/**
 * A server refused the credentials tsflow presented, or asked for credentials none of its variables
 * supplied. The message names the server and the variables to fix, never a secret's value: a wrong
 * password is a deployment error to report at once, not a failure to retry.
 */
public class CredentialsRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CredentialsRefusedException(String message) {
        super(message);
    }

    public CredentialsRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
