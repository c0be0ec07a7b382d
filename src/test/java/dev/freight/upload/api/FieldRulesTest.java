package dev.freight.upload.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.assertj.core.api.ListAssert;
import org.junit.jupiter.api.Test;

import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.problem.ProblemType;
import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.api.validation.ValidatedBody;

/**
 * The request bodies' own field rules: every break listed at once, under the field's JSON path (as the OpenAPI
 * document promises: {@code parts[2].part_number}, {@code metadata[key]}), sorted by field then message, and a
 * valid body passes.
 */
class FieldRulesTest {

    private static final String DIGEST = "A".repeat(43) + "=";

    @Test
    void aValidInitPasses() {
        InitRequest init = new InitRequest("clip.mp4", "video/mp4; codecs=\"avc1.42E01E, mp4a.40.2\"", 10L, "Ada",
                null, 5L << 20, "SHA256", DIGEST, List.of(new PartUrlRequest(1, DIGEST)), Map.of("k.1", "v"));
        assertThatCode(() -> FieldChecks.body(init).throwIfAny()).doesNotThrowAnyException();
    }

    @Test
    void initListsEveryBrokenRuleByJsonPath() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("bad key", "v");
        metadata.put("k", "a\u202Eb");
        metadata.put("n", null);
        List<PartUrlRequest> parts = new ArrayList<>(Arrays.asList(new PartUrlRequest(0, null), null,
                new PartUrlRequest(null, "zz")));
        InitRequest init = new InitRequest("../x", "video", 0L, "  ", null, -1L, "MD5", "abc", parts, metadata);

        errors(init).containsExactly(
                "author_name: must not be blank",
                "checksum_algorithm: must be SHA256, or absent for an upload without part checksums",
                "checksum_sha256: must be a base64-encoded SHA-256 digest",
                "file_size: must be greater than 0",
                "file_type: must be a media type such as video/mp4",
                "filename: must be a file name without path separators",
                "metadata[bad key]: keys must be 1-128 letters, digits, '.', '_' or '-'",
                "metadata[k]: must not contain invisible formatting characters such as U+202E",
                "metadata[n]: must not be null",
                "part_size: must be greater than 0",
                "parts[0].part_number: must be greater than or equal to 1",
                "parts[1]: must not be null",
                "parts[2].checksum_sha256: must be a base64-encoded SHA-256 digest",
                "parts[2].part_number: must not be null");
    }

    @Test
    void missingRequiredFieldsAndSizes() {
        errors(new InitRequest(null, "", null, null, null, null, null, null, null, null)).containsExactly(
                "file_size: must not be null",
                "file_type: must be a media type such as video/mp4",
                "file_type: must not be blank",
                "filename: must not be blank");
        errors(new CompleteRequest(null, null)).containsExactly("file_id: must not be null",
                "parts: must not be null");
        errors(new CompleteRequest(UUID.randomUUID(), List.of())).containsExactly(
                "parts: size must be between 1 and 10000");
        errors(new CompleteRequest(UUID.randomUUID(), List.of(new CompletedPartRequest(10_001, "e".repeat(129),
                null)))).containsExactly(
                "parts[0].etag: size must be between 0 and 128",
                "parts[0].part_number: must be less than or equal to 10000");
        errors(new RefreshUrlsRequest(UUID.randomUUID(), "", null)).containsExactly(
                "upload_token: size must be between 1 and 2048");
        errors(new AbortRequest(null)).containsExactly("file_id: must not be null");
    }

    @Test
    void anAbsentBodyIsNamedBody() {
        FreightException failure = catchThrowableOfType(FreightException.class,
                () -> FieldChecks.body(null).throwIfAny());
        assertThat(failure.problemType()).isEqualTo(ProblemType.INVALID_REQUEST);
        assertThat(failure.getMessage()).isEqualTo("The request has invalid fields");
        assertThat(failure.errors()).containsExactly(new FieldError("body", "must not be null"));
    }

    /** The problem's errors as "field: message", in the order the answer lists them. */
    private static ListAssert<String> errors(ValidatedBody body) {
        FreightException failure = catchThrowableOfType(FreightException.class,
                () -> FieldChecks.body(body).throwIfAny());
        assertThat(failure).as("a problem for %s", body).isNotNull();
        return assertThat(failure.errors().stream().map(error -> error.field() + ": " + error.message()).toList());
    }
}
