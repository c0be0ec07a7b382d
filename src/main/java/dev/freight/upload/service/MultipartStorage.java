package dev.freight.upload.service;

import java.util.List;
import java.util.Optional;

import dev.freight.upload.model.AssembledObject;
import dev.freight.upload.model.OpenUploadsPage;
import dev.freight.upload.model.StoredPart;
import dev.freight.upload.model.SweepCursor;

/**
 * What the upload rules need from object storage: S3's multipart calls and a look at the assembled object.
 * Failures come as {@link UploadGoneException}, {@link AssemblyRefusedException}, or the problem a client is
 * answered (503 when storage is unavailable).
 */
public interface MultipartStorage {

    /**
     * Starts a multipart upload for {@code objectKey} and returns its upload id. With {@code sha256}, storage keeps
     * each part's SHA-256 and requires it again on complete; without, storage refuses parts that carry one.
     */
    String startMultipartUpload(String objectKey, String contentType, boolean sha256);

    /**
     * Every part storage holds for the upload, in part order.
     *
     * @throws UploadGoneException when storage no longer knows the upload
     */
    List<StoredPart> listParts(String objectKey, String uploadId);

    /**
     * Asks storage to assemble the object from {@code parts} (in part-number order); with {@code sha256} every
     * part's checksum is sent, as S3 requires for an upload created with SHA256.
     *
     * @throws UploadGoneException when storage no longer knows the upload (another complete or an abort won)
     * @throws AssemblyRefusedException when storage refused the part list
     */
    AssembledObject completeMultipartUpload(String objectKey, String uploadId, List<StoredPart> parts,
            boolean sha256);

    /**
     * Aborts the multipart upload so storage deletes its parts; an upload storage no longer knows is fine.
     *
     * @return true when storage answered the abort itself (S3: 204), false when it no longer knew the upload (S3:
     *     404 NoSuchUpload: aborted or completed before)
     */
    boolean abortMultipartUpload(String objectKey, String uploadId);

    /**
     * One page (S3's, up to 1,000) of the bucket's open multipart uploads, in key and upload-id order, starting
     * after {@code from}.
     */
    OpenUploadsPage listMultipartUploads(SweepCursor from);

    /** The assembled object, with its size and checksum, when storage holds one. */
    Optional<AssembledObject> findObject(String objectKey);
}
