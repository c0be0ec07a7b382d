package dev.freight.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** With authentication on, start-up needs a verification key, an issuer and an audience, and names what is missing. */
class TokenSettingsTest {

    private static final Optional<String> KEY = Optional.of("https://login.example.com/jwks.json");
    private static final Optional<String> ISSUER = Optional.of("https://login.example.com/");
    private static final Optional<List<String>> AUDIENCE = Optional.of(List.of("freight-api"));

    @Test
    void everythingSetIsAccepted() {
        assertThat(ConfigChecks.tokenSettingProblems(true, KEY, ISSUER, AUDIENCE)).isEmpty();
    }

    @Test
    void eachMissingSettingIsNamed() {
        assertThat(ConfigChecks.tokenSettingProblems(true, Optional.empty(), ISSUER, AUDIENCE))
                .singleElement().asString().contains("no verification key", "MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        assertThat(ConfigChecks.tokenSettingProblems(true, KEY, Optional.empty(), AUDIENCE))
                .singleElement().asString().contains("no issuer", "MP_JWT_VERIFY_ISSUER");
        assertThat(ConfigChecks.tokenSettingProblems(true, KEY, ISSUER, Optional.empty()))
                .singleElement().asString().contains("no audience", "MP_JWT_VERIFY_AUDIENCES");
        assertThat(ConfigChecks.tokenSettingProblems(true, KEY, Optional.of(" "), Optional.of(List.of(""))))
                .hasSize(2);
        assertThat(ConfigChecks.tokenSettingProblems(true, Optional.empty(), Optional.empty(), Optional.empty()))
                .hasSize(3);
    }

    @Test
    void nothingIsNeededWithAuthenticationOff() {
        assertThat(ConfigChecks.tokenSettingProblems(false, Optional.empty(), Optional.empty(), Optional.empty()))
                .isEmpty();
    }
}
