package dev.freight.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import dev.freight.problem.FieldError;
import dev.freight.problem.FreightException;
import dev.freight.upload.api.InitRequest;
import dev.freight.upload.api.validation.FieldChecks;
import dev.freight.upload.model.S3Limits;
import dev.freight.upload.storage.OwnerQuota;

/**
 * The limits table of docs/api.md (the contract) against the code: every row's value is what the constant, the
 * setting or the field rule holds, every limit the test knows is documented, and a size written for people as well
 * ("2 MiB") equals its exact value. Plain JUnit: reads classes and files, starts nothing.
 */
class DocumentedLimitsTest {

    private static final Path PAGE = Path.of("docs/api.md");
    private static final Pattern HUMAN_SIZE = Pattern.compile("\\((\\d+) (KiB|MiB|GiB|TiB)\\)");
    private static final Map<String, Integer> UNIT_SHIFT = Map.of("KiB", 10, "MiB", 20, "GiB", 30, "TiB", 40);

    private final ServiceSettings settings = new ServiceSettings();

    /** What the service holds for each limit the page names, by the row's name. */
    private Map<String, Supplier<Object>> limitsInCode() {
        Map<String, Supplier<Object>> limits = new LinkedHashMap<>();
        limits.put("request-body", () -> setting("quarkus.http.limits.max-body-size"));
        limits.put("errors-per-answer",
                () -> constant("dev.freight.upload.api.validation.FieldChecks", "MAX_LISTED_ERRORS"));
        limits.put("request-uri", () -> constant("dev.freight.upload.api.RequestBodyLimit", "MAX_URI_LENGTH"));
        limits.put("request-line", () -> setting("quarkus.http.limits.max-initial-line-length"));
        limits.put("file-size", () -> setting("freight.upload.max-file-size"));
        limits.put("part-size-min", () -> setting("freight.upload.min-part-size"));
        limits.put("part-size-max", () -> setting("freight.upload.max-part-size"));
        limits.put("part-size-default", () -> setting("freight.upload.default-part-size"));
        limits.put("parts", () -> S3Limits.MAX_PARTS);
        limits.put("url-batch", () -> setting("freight.upload.url-batch-size"));
        limits.put("download-part-urls", () -> setting("freight.upload.download-batch-size"));
        limits.put("url-ttl", () -> setting("freight.upload.url-ttl"));
        limits.put("resumable-for", () -> setting("freight.upload.expire-after"));
        limits.put("complete-wait", () -> setting("freight.upload.complete-wait"));
        limits.put("completing-retry-after",
                () -> constant("dev.freight.upload.api.UploadResource", "COMPLETING_RETRY_AFTER_SECONDS"));
        limits.put("storage-retry-after-min", () -> setting("freight.storage.retry-after-min"));
        limits.put("storage-retry-after-max", () -> setting("freight.storage.retry-after-max"));
        limits.put("filename", () -> longestAccepted("filename", n -> init("a".repeat(n), "Ada", null)));
        limits.put("author-name", () -> longestAccepted("author_name", n -> init("a.txt", "a".repeat(n), null)));
        limits.put("metadata-entries", () -> longestAccepted("metadata", n -> init("a.txt", "Ada",
                IntStream.range(0, n).boxed().collect(Collectors.toMap(i -> "k" + i, i -> "v")))));
        limits.put("metadata-key", () -> longestAccepted("metadata[" , n -> init("a.txt", "Ada",
                Map.of("k".repeat(n), "v"))));
        limits.put("metadata-value", () -> longestAccepted("metadata[k]", n -> init("a.txt", "Ada",
                Map.of("k", "v".repeat(n)))));
        limits.put("idempotency-key", () -> longestMatch(
                (Pattern) constant("dev.freight.upload.api.UploadResource", "IDEMPOTENCY_KEY"), "!"));
        limits.put("upload-token", () -> constant("dev.freight.upload.service.UploadTokens", "MAX_TOKEN_LENGTH"));
        limits.put("listing-page-default", this::listingPageDefault);
        limits.put("listing-page-max", () -> longestNumber(
                (Pattern) constant("dev.freight.upload.api.UploadResource", "PAGE_SIZE")));
        limits.put("listing-records-read",
                () -> constant("dev.freight.upload.storage.OwnerListing", "MAX_EVALUATED_PER_LISTING"));
        limits.put("open-uploads", () -> OwnerQuota.DEFAULT_MAX_OPEN_UPLOADS);
        limits.put("open-bytes", () -> OwnerQuota.DEFAULT_MAX_OPEN_BYTES);
        limits.put("stored-files", () -> setting("freight.quota.max-stored-files"));
        limits.put("stored-bytes", () -> setting("freight.quota.max-stored-bytes"));
        return limits;
    }

    @Test
    void everyDocumentedLimitIsTheCodesAndEveryLimitIsDocumented() {
        List<Map<String, String>> rows = MarkdownTables.rows(PAGE, "Limit");
        Map<String, Supplier<Object>> inCode = limitsInCode();
        List<String> names = rows.stream().map(row -> MarkdownTables.leadingCode(row.get("Limit"))).toList();
        assertThat(names).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(inCode.keySet());

        SoftAssertions softly = new SoftAssertions();
        for (Map<String, String> row : rows) {
            String name = MarkdownTables.leadingCode(row.get("Limit"));
            String documented = MarkdownTables.leadingCode(row.get("Value"));
            softly.assertThat(documented).as(name).isEqualTo(String.valueOf(inCode.get(name).get()));
            Matcher human = HUMAN_SIZE.matcher(row.get("Value"));
            if (human.find() && documented != null) {
                softly.assertThat(Long.parseLong(human.group(1)) << UNIT_SHIFT.get(human.group(2)))
                        .as("%s written as %s", name, human.group()).isEqualTo(Long.parseLong(documented));
            }
        }
        softly.assertAll();
    }

    private Object setting(String key) {
        return settings.effective(key).orElseThrow(() -> new AssertionError(key + " has no value"));
    }

    private static Object constant(String className, String fieldName) {
        try {
            Field field = Class.forName(className).getDeclaredField(fieldName);
            field.setAccessible(true);
            return field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(className + "." + fieldName + " is gone: update docs/api.md's limits", e);
        }
    }

    private static InitRequest init(String filename, String authorName, Map<String, String> metadata) {
        return new InitRequest(filename, "text/plain", 1L, authorName, null, null, null, null, null, metadata);
    }

    /** The largest n whose request the field rules accept, when n + 1 breaks a rule of {@code field}. */
    private static int longestAccepted(String field, Function<Integer, InitRequest> requestOfSize) {
        int longest = IntStream.iterate(1, n -> n <= 100_000, n -> n + 1)
                .filter(n -> !accepted(requestOfSize.apply(n + 1))).findFirst()
                .orElseThrow(() -> new AssertionError(field + " has no limit"));
        assertThatCode(() -> FieldChecks.body(requestOfSize.apply(longest)).throwIfAny()).doesNotThrowAnyException();
        FreightException refused = catchThrowableOfType(FreightException.class,
                () -> FieldChecks.body(requestOfSize.apply(longest + 1)).throwIfAny());
        assertThat(refused.errors()).extracting(FieldError::field).allMatch(name -> name.startsWith(field));
        return longest;
    }

    private static boolean accepted(InitRequest request) {
        try {
            FieldChecks.body(request).throwIfAny();
            return true;
        } catch (FreightException refused) {
            return false;
        }
    }

    private static int longestMatch(Pattern pattern, String character) {
        return IntStream.iterate(1, n -> n <= 100_000, n -> n + 1)
                .filter(n -> !pattern.matcher(character.repeat(n + 1)).matches()).findFirst().orElseThrow();
    }

    private static int longestNumber(Pattern pattern) {
        return IntStream.iterate(1, n -> n <= 100_000, n -> n + 1)
                .filter(n -> !pattern.matcher(String.valueOf(n + 1)).matches()).findFirst().orElseThrow();
    }

    /** An inline default in the resource's listing method: read from its source line. */
    private Object listingPageDefault() {
        Matcher fallback = Pattern.compile("int pageSize = limit == null \\? (\\d+) :")
                .matcher(MarkdownTables.read(Path.of("src/main/java/dev/freight/upload/api/UploadResource.java")));
        assertThat(fallback.find()).as("UploadResource's default page size line").isTrue();
        return Integer.parseInt(fallback.group(1));
    }
}
