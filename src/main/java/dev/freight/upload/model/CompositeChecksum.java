package dev.freight.upload.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/** The checksum S3 reports for an object assembled from SHA-256-checked parts. */
public final class CompositeChecksum {

    private CompositeChecksum() {
    }

    /**
     * S3's composite checksum of a multipart object: the SHA-256 of the parts' SHA-256 digests, then "-" and the
     * part count. Known only when every part was sent with a checksum.
     */
    public static String of(List<StoredPart> parts) {
        if (parts.isEmpty() || parts.stream().anyMatch(part -> part.checksumSha256() == null)) {
            return null;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (StoredPart part : parts) {
                digest.update(Base64.getDecoder().decode(part.checksumSha256()));
            }
            return Base64.getEncoder().encodeToString(digest.digest()) + "-" + parts.size();
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
