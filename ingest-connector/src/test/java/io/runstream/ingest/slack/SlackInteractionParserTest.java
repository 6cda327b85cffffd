package io.runstream.ingest.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.runstream.avro.IncidentCommand;
import io.runstream.avro.IncidentCommandType;
import io.runstream.ingest.parse.RejectedInput;
import io.runstream.ingest.parse.StrictJson;
import io.runstream.testing.SlackInteractivitySigner;

class SlackInteractionParserTest {

    private static final Instant CLICKED = Instant.parse("2026-12-06T05:20:00.123456Z");
    private final SlackInteractivitySigner slack = new SlackInteractivitySigner("secret");
    private final SlackInteractionParser parser = new SlackInteractionParser(new StrictJson(32),
            Map.of("U0ALICE", "alice"));

    @Test
    void acknowledgeClickBecomesAnAcknowledgeCommandFromTheMappedUser() throws Exception {
        IncidentCommand command = parse("runstream_acknowledge", "{\"incidentId\":\"inc-checkout-1\"}", "U0ALICE",
                "alice.smith");

        assertThat(command.getType()).isEqualTo(IncidentCommandType.ACKNOWLEDGE);
        assertThat(command.getIncidentId()).isEqualTo("inc-checkout-1");
        assertThat(command.getActor()).isEqualTo("alice");
        assertThat(command.getSource()).isEqualTo("slack");
        assertThat(command.getCommandId()).isEqualTo("slack:U0ALICE:1796534400.123456");
        assertThat(command.getIssuedAt()).isEqualTo(Instant.parse("2026-12-06T05:20:00.123Z"));
        assertThat(command.getCorrelationKey()).as("a button without the key (an older worker's)").isNull();
    }

    @Test
    void clickHandsBackTheCorrelationKeyTheButtonCarries() throws Exception {
        IncidentCommand command = parse("runstream_acknowledge",
                "{\"incidentId\":\"inc-checkout-1\",\"correlationKey\":\"ml-prod/checkout\"}", "U0ALICE", "alice");

        // the stream processor routes it by this key, without looking the incident up (issue 19)
        assertThat(command.getCorrelationKey()).isEqualTo("ml-prod/checkout");
    }

    @Test
    void unmappedUserActsAsSlackUsername() throws Exception {
        IncidentCommand command = parse("runstream_resolve", "{\"incidentId\":\"inc-1\"}", "U0BOB", "bob");

        assertThat(command.getType()).isEqualTo(IncidentCommandType.RESOLVE);
        assertThat(command.getActor()).isEqualTo("slack:bob");
    }

    @Test
    void approveClickCarriesTheHeldActionsCommandId() throws Exception {
        IncidentCommand command = parse("runstream_approve",
                "{\"incidentId\":\"inc-1\",\"actionCommandId\":\"inc-1:rollback:1\"}", "U0BOB", "bob");

        assertThat(command.getType()).isEqualTo(IncidentCommandType.APPROVE);
        assertThat(command.getActionCommandId()).isEqualTo("inc-1:rollback:1");
    }

    @Test
    void approveWithoutActionCommandIdIsRefused() {
        assertInvalid(form("runstream_approve", "{\"incidentId\":\"inc-1\"}"), "missing_field");
    }

    @Test
    void anotherAppsButtonIsIgnored() throws Exception {
        var signed = slack.buttonClick("someone_elses_button", "{\"incidentId\":\"inc-1\"}", "U1", "bob", CLICKED);

        assertThat(parser.parse(signed.body())).isEmpty();
    }

    @Test
    void malformedShapesAreRefusedNamingTheProblem() {
        assertInvalid("payload=%7Bnot-json", "malformed_json");
        assertInvalid("text=hello", "missing_field");
        assertInvalid("payload=", "missing_field");
        assertInvalid("payload=%ZZ", "malformed_form");
        assertInvalid("payload=%5B1%5D", "wrong_type");
        assertInvalid(form("runstream_acknowledge", "not json"), "malformed_json");
        assertInvalid(form("runstream_acknowledge", "{\"incidentId\":42}"), "wrong_type");
        assertInvalid(form("runstream_acknowledge", "{\"incidentId\":\"" + "x".repeat(201) + "\"}"),
                "value_too_long");
        String form = form("runstream_acknowledge", "{\"incidentId\":\"inc-1\"}");
        assertInvalid(form + "&" + form, "duplicate_field");
    }

    private IncidentCommand parse(String actionId, String value, String userId, String username)
            throws RejectedInput {
        return parser.parse(slack.buttonClick(actionId, value, userId, username, CLICKED).body()).orElseThrow();
    }

    private String form(String actionId, String value) {
        return new String(slack.buttonClick(actionId, value, "U1", "bob", CLICKED).body(), StandardCharsets.UTF_8);
    }

    private void assertInvalid(String form, String reason) {
        assertThatThrownBy(() -> parser.parse(form.getBytes(StandardCharsets.UTF_8)))
                .as(form.length() > 80 ? form.substring(0, 80) : form)
                .isInstanceOfSatisfying(RejectedInput.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo(reason);
                });
    }

}
