package io.runstream.workers.notify;

import static io.runstream.workers.notify.StatusUpdates.command;
import static io.runstream.workers.notify.StatusUpdates.initialNotification;
import static io.runstream.workers.notify.StatusUpdates.resolutionNotification;
import static io.runstream.workers.notify.StatusUpdates.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.runstream.avro.ActionType;
import io.runstream.workers.RejectedCommandException;

/** The parameters a notification command may carry: the runbooks' status-update fields, checked and bounded. */
class NoticeParametersTest {

    private static Notice read(Map<String, String> parameters) {
        return Notice.from(command("n1", ActionType.NOTIFY, "slack", "incidents", parameters),
                NotifyExecutor.EVENTS);
    }

    @Test
    void readsTheFieldsOfRunbook003sInitialNotification() {
        Notice notice = read(initialNotification());

        assertThat(notice.startedAt()).isEqualTo(Instant.parse("2026-12-06T14:23:00Z"));
        assertThat(notice.commander()).isEqualTo("alice");
        assertThat(notice.nextUpdateAt()).isEqualTo(Instant.parse("2026-12-06T14:33:00Z"));
        assertThat(notice.dashboard()).isEqualTo(URI.create(StatusUpdates.DASHBOARD));
        assertThat(notice.duration()).isNull();
        assertThat(notice.resolvedBy()).isNull();
    }

    @Test
    void readsTheDurationAndWhatResolvedItFromRunbook003sResolutionNotification() {
        Notice notice = read(resolutionNotification());

        assertThat(notice.duration()).isEqualTo(Duration.ofMinutes(22));
        assertThat(notice.resolvedBy()).isEqualTo("recovery");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "startedAt    | yesterday 14:23",
        "startedAt    | 2026-12-06 14:23",
        "nextUpdateAt | in ten minutes",
        "duration     | 22 minutes",
        "duration     | -PT5M",
        "dashboard    | javascript:alert(1)",
        "dashboard    | 127.0.0.1:8082/dashboard",
        "dashboard    | http://",
    })
    void refusesAMalformedInstantDurationOrDashboardNamingParameterAndValue(String parameter, String value) {
        assertThatThrownBy(() -> read(with(initialNotification(), parameter, value)))
                .isInstanceOf(RejectedCommandException.class)
                .hasMessageContaining(parameter).hasMessageContaining("'" + value + "'")
                .satisfies(e -> assertThat(((RejectedCommandException) e).reasonCode())
                        .isEqualTo("malformed_parameters"));
    }

    @Test
    void stillRefusesAParameterItDoesNotKnow() {
        assertThatThrownBy(() -> read(with(initialNotification(), "eta", "5 minutes")))
                .isInstanceOf(RejectedCommandException.class)
                .hasMessageContaining("unknown parameter 'eta'")
                .satisfies(e -> assertThat(((RejectedCommandException) e).reasonCode())
                        .isEqualTo("malformed_parameters"));
    }

    @Test
    void cutsRunawayTextToTwoThousandCharactersInsteadOfPostingIt() {
        Notice notice = read(with(initialNotification(), "summary", "stack trace line\n".repeat(900),
                "commander", "a".repeat(5_000), "impact", "x".repeat(3_000) + "; Affecting all users"));

        assertThat(notice.summary()).hasSize(Notice.MAX_TEXT).endsWith("…");
        assertThat(notice.commander()).hasSize(Notice.MAX_TEXT);
        assertThat(notice.impact()).hasSize(2);
        assertThat(notice.impact().get(0)).hasSize(Notice.MAX_TEXT);
        assertThat(notice.impact().get(1)).isEqualTo("Affecting all users");
    }

    @Test
    void aRefusalQuotesOnlyTheStartOfAHugeValue() {
        assertThatThrownBy(() -> read(with(initialNotification(), "startedAt", "9".repeat(10_000))))
                .isInstanceOf(RejectedCommandException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400).contains("startedAt"));
    }

    @Test
    void cutsWithoutSplittingACharacter() {
        String cut = Notice.truncated("a".repeat(1_998) + "😀😀", Notice.MAX_TEXT);

        assertThat(cut).isEqualTo("a".repeat(1_998) + "…");
    }
}
