package dev.freight.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Start-up refuses a missing, short, non-base64 or third token key, saying which (prod has no default key); a
 * missing listing key in prod; and an example's placeholder for either, such as every example secret in deploy/.
 */
class TokenKeyChecksTest {

    private static final String KEY_32 = "ZnJlaWdodC10ZXN0LXVwbG9hZC10b2tlbi1rZXktcHVibGljLTE=";

    @Test
    void oneOrTwoBase64KeysOfAtLeast32BytesPass() {
        assertThat(ConfigChecks.tokenKeyProblems(Optional.of(List.of(KEY_32)))).isEmpty();
        assertThat(ConfigChecks.tokenKeyProblems(Optional.of(List.of(KEY_32,
                "bmV3LWtleS1hZnRlci1yb3RhdGlvbi0wMTIzNDU2Nzg5YWJj")))).isEmpty();
    }

    @Test
    void aMissingShortMalformedOrThirdKeyIsRefusedByName() {
        assertThat(ConfigChecks.tokenKeyProblems(Optional.empty())).singleElement().asString()
                .contains("FREIGHT_UPLOAD_TOKEN_KEYS", "openssl rand -base64 32");
        assertThat(ConfigChecks.tokenKeyProblems(Optional.of(List.of("c2hvcnQ=")))).singleElement().asString()
                .contains("shorter than 32 bytes");
        assertThat(ConfigChecks.tokenKeyProblems(Optional.of(List.of(KEY_32, "not base64!")))).singleElement()
                .asString().contains("key 2 is not base64");
        assertThat(ConfigChecks.tokenKeyProblems(Optional.of(List.of(KEY_32, KEY_32, KEY_32)))).singleElement()
                .asString().contains("at most two");
    }

    @Test
    void aDeploymentNeedsAListingKeyOfAtLeast32CharactersThatIsNoPlaceholder() {
        String random = "q8Jm0vTz3Yb1Xk7Rw2Nc5Hd9Lp4Fs6Ge0Ua8Ki3Oy1Tn5Wr7Zc2Vb9Mx4Qe6Sj8Ah";
        assertThat(ConfigChecks.listingKeyProblems(Optional.of(random), List.of(), true)).isEmpty();
        assertThat(ConfigChecks.listingKeyProblems(Optional.empty(), List.of(), false)).as("dev mode, tests")
                .isEmpty();
        assertThat(ConfigChecks.listingKeyProblems(Optional.empty(), List.of(), true)).singleElement().asString()
                .contains("freight.listing.token-key is not set", "FREIGHT_LISTING_TOKEN_KEY", "every instance");
        assertThat(ConfigChecks.listingKeyProblems(Optional.of("too-short"), List.of(), true)).singleElement()
                .asString().contains("at least 32 characters");
        for (String placeholder : List.of("REPLACE_ME", "REPLACE_ME_WITH_32_OR_MORE_RANDOM_CHARACTERS",
                "change-me-change-me-change-me-change-me", "<your listing key of 32 or more characters>",
                "an-example-listing-key-0123456789abcdef", "...")) {
            assertThat(ConfigChecks.listingKeyProblems(Optional.of(placeholder), List.of(), true)).as(placeholder)
                    .singleElement().asString().contains("placeholder");
        }
        assertThat(ConfigChecks.listingKeyProblems(Optional.of(random), List.of("REPLACE_ME"), true))
                .singleElement().asString().contains("previous-token-keys key 1");
        assertThat(ConfigChecks.tokenKeyProblems(Optional.of(List.of(KEY_32, "REPLACE_ME")))).singleElement()
                .asString().contains("key 2 is an example's placeholder");
    }

    @Test
    void everyExampleSecretInTheDeployFilesIsRefused() throws IOException {
        Pattern secret = Pattern.compile(
                "(FREIGHT_(?:UPLOAD_TOKEN_KEYS|LISTING_TOKEN_KEY|LISTING_PREVIOUS_TOKEN_KEYS))[ \\t]*[:=][ \\t]*\"?([^\"\\s#]+)");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("deploy"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Matcher matcher = secret.matcher(Files.readString(file));
                while (matcher.find()) {
                    String name = matcher.group(1);
                    String value = matcher.group(2);
                    found.add(file + " " + name);
                    List<String> problems = switch (name) {
                        case "FREIGHT_UPLOAD_TOKEN_KEYS" -> ConfigChecks.tokenKeyProblems(
                                Optional.of(List.of(value.split(","))));
                        case "FREIGHT_LISTING_TOKEN_KEY" -> ConfigChecks.listingKeyProblems(Optional.of(value),
                                List.of(), true);
                        default -> ConfigChecks.listingKeyProblems(Optional.empty(), List.of(value.split(",")),
                                false);
                    };
                    assertThat(problems).as(file + ": " + name + "=" + value).isNotEmpty();
                }
            }
        }
        assertThat(found).as("the Knative example secret names both keys")
                .contains("deploy/knative/secret.example.yaml FREIGHT_UPLOAD_TOKEN_KEYS",
                        "deploy/knative/secret.example.yaml FREIGHT_LISTING_TOKEN_KEY");
    }
}
