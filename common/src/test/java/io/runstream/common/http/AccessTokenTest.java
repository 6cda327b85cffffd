package io.runstream.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class AccessTokenTest {

    private static final String TOKEN = "read-token-0123456789";

    @Test
    void permitsOnlyTheExactBearerTokenByteForByte() {
        AccessToken token = AccessToken.of(TOKEN);

        assertThat(token.permitsBearer("Bearer " + TOKEN)).isTrue();
        assertThat(token.permitsBearer("  Bearer " + TOKEN + " ")).isTrue();
        assertThat(token.permitsBearer(null)).isFalse();
        assertThat(token.permitsBearer("")).isFalse();
        assertThat(token.permitsBearer("Bearer " + TOKEN.toUpperCase())).isFalse();
        assertThat(token.permitsBearer("Bearer " + TOKEN + "x")).isFalse();
        assertThat(token.permitsBearer("Bearer " + TOKEN.substring(1))).isFalse();
        assertThat(token.permitsBearer(TOKEN)).isFalse();
        assertThat(token.toString()).doesNotContain(TOKEN);
    }

    @Test
    void acceptsTheTokenAsTheBasicPasswordOfAnyUserForBrowsers() {
        AccessToken token = AccessToken.of(TOKEN);

        assertThat(token.permitsBearerOrBasicPassword(basic("alice:" + TOKEN))).isTrue();
        assertThat(token.permitsBearerOrBasicPassword(basic(":" + TOKEN))).isTrue();
        assertThat(token.permitsBearerOrBasicPassword("Bearer " + TOKEN)).isTrue();
        assertThat(token.permitsBearerOrBasicPassword(basic(TOKEN + ":alice"))).isFalse();
        assertThat(token.permitsBearerOrBasicPassword(basic("alice:wrong"))).isFalse();
        assertThat(token.permitsBearerOrBasicPassword("Basic !!not-base64!!")).isFalse();
        assertThat(token.permitsBearerOrBasicPassword(basic(TOKEN))).as("no colon, no password").isFalse();
    }

    @Test
    void anEmptyTokenRequiresNothing() {
        assertThat(AccessToken.of("  ").required()).isFalse();
        assertThat(AccessToken.of(null).permitsBearer(null)).isTrue();
        assertThat(AccessToken.of("").authorizationHeader()).isNull();
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }
}
