package dev.freight.upload.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
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
        return ofDigests(parts.stream().map(StoredPart::checksumSha256).toList());
    }

    /**
     * The composite of these base64 part digests, in part order: base64 SHA-256 of the concatenated raw digests,
     * "-", the count (held to src/test/vectors/composite-checksums.json, as the page's and the Java client's are).
     */
    public static String ofDigests(Collection<String> partDigests) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : partDigests) {
                digest.update(Base64.getDecoder().decode(part));
            }
            return Base64.getEncoder().encodeToString(digest.digest()) + "-" + partDigests.size();
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
