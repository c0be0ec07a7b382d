package dev.freight.client;

/** Downloaded or assembled bytes do not match their SHA-256: nothing unverified is moved into place. */
public class VerificationException extends FreightException {

    public VerificationException(String message, String fileId) {
        super(message, fileId, null);
    }
}
