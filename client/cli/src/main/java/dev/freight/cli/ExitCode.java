package dev.freight.cli;

import dev.freight.client.FreightException;
import dev.freight.client.NotResumableException;
import dev.freight.client.ServiceException;
import dev.freight.client.ServiceUnavailableException;
import dev.freight.client.SourceChangedException;
import dev.freight.client.StorageException;
import dev.freight.client.UploadCancelledException;
import dev.freight.client.VerificationException;

/** The documented exit codes (docs/clients.md, "The command line"). */
public final class ExitCode {

    public static final int OK = 0;
    /** A bug: the message still fits one line. */
    public static final int INTERNAL = 1;
    /** Bad options or arguments: a missing file, a directory, an unreadable file, a malformed size. */
    public static final int USAGE = 2;
    /** The service refused the request (unknown id, not uploading, not authorised, nothing to resume). */
    public static final int REFUSED = 3;
    /** Storage refused a part's bytes even after a re-read, or a download did not verify. */
    public static final int STORAGE = 4;
    /** The service could not be reached, or kept answering 503/429 through every retry. */
    public static final int UNREACHABLE = 5;
    /** The file is not the one the upload started with (size, modification time or content differ). */
    public static final int SOURCE_CHANGED = 6;
    /** Stopped by Ctrl-C (SIGINT): the upload is resumable with {@code freight resume}. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }

    static int of(Throwable failure) {
        if (failure instanceof UploadCancelledException) {
            return INTERRUPTED;
        }
        if (failure instanceof SourceChangedException) {
            return SOURCE_CHANGED;
        }
        if (failure instanceof StorageException || failure instanceof VerificationException) {
            return STORAGE;
        }
        if (failure instanceof ServiceUnavailableException) {
            return UNREACHABLE;
        }
        if (failure instanceof ServiceException || failure instanceof NotResumableException) {
            return REFUSED;
        }
        if (failure instanceof java.io.FileNotFoundException) {
            return USAGE;
        }
        if (failure instanceof FreightException || failure instanceof java.io.IOException) {
            return UNREACHABLE;
        }
        return INTERNAL;
    }
}
