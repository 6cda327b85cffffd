package io.runstream.ingest.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.runstream.ingest.parse.RejectedInput;
import io.runstream.testing.SlackInteractivitySigner;

class SlackSignatureTest {

    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final Instant NOW = Instant.parse("2026-12-06T05:20:00Z");
    private final SlackSignature check = new SlackSignature(SECRET, Duration.ofMinutes(5),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final SlackInteractivitySigner slack = new SlackInteractivitySigner(SECRET);

    @Test
    void acceptsTheSignatureSlackComputesOverTimestampAndRawBody() {
        var signed = slack.buttonClick("runstream_acknowledge", "{\"incidentId\":\"inc-1\"}", "U1", "alice", NOW);

        assertThatCode(() -> check.verify(signed.timestamp(), signed.signature(), signed.body()))
                .doesNotThrowAnyException();
    }

    @Test
    void matchesSlacksDocumentedExample() {
        // api.slack.com/authentication/verifying-requests-from-slack, "a walkthrough": secret, timestamp, body.
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        var documented = new SlackSignature(SECRET, Duration.ofMinutes(5),
                Clock.fixed(Instant.ofEpochSecond(1531420618), ZoneOffset.UTC));

        assertThat(documented.sign("1531420618", body.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    }

    @Test
    void refusesAForgedSignature() {
        var signed = new SlackInteractivitySigner("not-the-secret").buttonClick("runstream_acknowledge",
                "{\"incidentId\":\"inc-1\"}", "U1", "alice", NOW);

        assertRefused(signed.timestamp(), signed.signature(), signed.body(), "bad_signature");
    }

    @Test
    void refusesABodyChangedAfterSigning() {
        var signed = slack.buttonClick("runstream_acknowledge", "{\"incidentId\":\"inc-1\"}", "U1", "alice", NOW);
        byte[] tampered = new String(signed.body(), StandardCharsets.UTF_8).replace("inc-1", "inc-2")
                .getBytes(StandardCharsets.UTF_8);

        assertRefused(signed.timestamp(), signed.signature(), tampered, "bad_signature");
    }

    @Test
    void refusesATimestampOlderThanFiveMinutesAsAReplay() {
        var replayed = slack.buttonClick("runstream_acknowledge", "{\"incidentId\":\"inc-1\"}", "U1", "alice",
                NOW.minus(Duration.ofMinutes(5).plusSeconds(1)));

        assertRefused(replayed.timestamp(), replayed.signature(), replayed.body(), "stale_timestamp");
    }

    @Test
    void refusesATimestampFarInTheFuture() {
        var early = slack.buttonClick("runstream_acknowledge", "{\"incidentId\":\"inc-1\"}", "U1", "alice",
                NOW.plus(Duration.ofMinutes(6)));

        assertRefused(early.timestamp(), early.signature(), early.body(), "stale_timestamp");
    }

    @Test
    void refusesMissingOrMalformedHeaders() {
        var signed = slack.buttonClick("runstream_acknowledge", "{\"incidentId\":\"inc-1\"}", "U1", "alice", NOW);

        assertRefused(null, signed.signature(), signed.body(), "missing_timestamp");
        assertRefused(signed.timestamp(), null, signed.body(), "missing_signature");
        assertRefused(" ", signed.signature(), signed.body(), "missing_timestamp");
        assertRefused("yesterday", signed.signature(), signed.body(), "bad_timestamp");
        assertRefused(signed.timestamp(), "v0=" + "0".repeat(64), signed.body(), "bad_signature");
        assertRefused(signed.timestamp(), "v1=short", signed.body(), "bad_signature");
    }

    @Test
    void refusesAnEmptySigningSecretAtStartup() {
        assertThatThrownBy(() -> new SlackSignature(" ", Duration.ofMinutes(5), Clock.systemUTC()))
                .hasMessageContaining("slack.signingSecret");
    }

    private void assertRefused(String timestamp, String signature, byte[] body, String reason) {
        assertThatThrownBy(() -> check.verify(timestamp, signature, body))
                .isInstanceOfSatisfying(RejectedInput.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.reason()).isEqualTo(reason);
                });
    }
}
