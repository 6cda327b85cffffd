package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** {@code runstream scenario} before any stack is involved: listing, and refusing what cannot be played. */
class ScenarioCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void listsTheFourScenarios() {
        assertThat(runstream("scenario", "--list")).isZero();

        assertThat(out.toString()).contains("bad-rollout", "latency-saturation", "drift", "flapping");
    }

    @Test
    void refusesAnUnknownScenarioOrASpeedBelowRealTime() {
        assertThat(runstream("scenario", "no-such-story")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown scenario 'no-such-story'", "bad-rollout");
        assertThat(runstream("scenario", "flapping", "--speed", "0.5")).isEqualTo(2);
        assertThat(err.toString()).contains("--speed must be at least 1");
        assertThat(runstream("scenario", "flapping", "--approve-after", "soon")).isEqualTo(2);
        assertThat(runstream("run", "--scenario", "no-such-story")).isEqualTo(2);
    }

    @Test
    void saysTheStackIsNotRunningWhenNothingAnswers() throws Exception {
        String nowhere = "http://127.0.0.1:" + freePort();

        assertThat(runstream("scenario", "flapping", "--api", nowhere, "--ingest-url", nowhere)).isEqualTo(3);
        assertThat(err.toString()).contains("cannot reach the incident API", "Is the stack running?");
    }

    private int runstream(String... args) {
        return new CommandLine(new RunstreamCli()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
