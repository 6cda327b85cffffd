package io.runstream.workers.notify.slack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.runstream.avro.ActionCommand;
import io.runstream.workers.ExecutionFailure;
import io.runstream.workers.http.HttpCalls;

/**
 * The two Slack Web API methods Runstream uses, {@code chat.postMessage} and {@code chat.update}, as JSON with the
 * bot token. HTTP 429 (Slack's rate limit, with Retry-After) and 5xx are retried within the command's expiry by
 * {@link HttpCalls}; Slack's {@code ok:false} ends in an {@link ExecutionFailure} whose reason is Slack's error code
 * ({@code channel_not_found}, {@code not_in_channel}, {@code invalid_auth}, {@code missing_scope}, ...).
 *
 * <p>Slack's Java SDK ({@code com.slack.api:slack-api-client}) is not used: it is not obtainable from the Maven
 * repository these builds use (only its parent POM is), and two JSON methods over the workers' own {@link HttpCalls}
 * keep the retry-within-expiry behaviour every other notification channel has.
 */
public final class SlackWebApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String botToken;
    private final HttpCalls http;

    /** @param base the methods endpoint prefix, https://slack.com/api/ (a test's local server otherwise) */
    public SlackWebApi(URI base, String botToken, HttpCalls http) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.botToken = botToken;
        this.http = http;
    }

    /** What Slack answered: the message's channel and ts, and how many tries it took. */
    public record Posted(String channel, String ts, int attempts) {
    }

    public Posted postMessage(ActionCommand command, String channelId, ObjectNode message) {
        ObjectNode body = message.deepCopy().put("channel", channelId);
        return call(command, "chat.postMessage", body);
    }

    public Posted update(ActionCommand command, String channelId, String ts, ObjectNode message) {
        ObjectNode body = message.deepCopy().put("channel", channelId).put("ts", ts);
        return call(command, "chat.update", body);
    }

    private Posted call(ActionCommand command, String method, ObjectNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(method))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Authorization", "Bearer " + botToken)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        HttpCalls.Reply reply = http.send(command, "Slack " + method, request);
        JsonNode answer;
        try {
            answer = JSON.readTree(reply.body());
        } catch (IOException e) {
            throw new ExecutionFailure("slack_unreadable_answer", "Slack " + method + " answered something other "
                    + "than JSON", reply.attempts());
        }
        if (answer == null || !answer.path("ok").asBoolean(false)) {
            String error = answer == null ? "" : answer.path("error").asText("");
            String code = error.isBlank() ? "slack_error" : error;
            throw new ExecutionFailure(code, "Slack " + method + " answered ok:false, error " + code,
                    reply.attempts());
        }
        return new Posted(answer.path("channel").asText(body.path("channel").asText()),
                answer.path("ts").asText(body.path("ts").asText()), reply.attempts());
    }
}
