package dev.freight.upload.service;

/**
 * Storage refused to assemble parts that were checked just before (S3Proxy answers 400 to a complete that lost a
 * race with another one): the caller looks at what storage and the record hold now.
 */
public class AssemblyRefusedException extends RuntimeException {

    public AssemblyRefusedException(String uploadId, Throwable cause) {
        super("Storage refused to assemble multipart upload " + uploadId, cause);
    }
}
