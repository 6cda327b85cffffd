package io.runstream.launcher;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.runstream.launcher.api.IncidentApiClient;

/** Sends one incident command (acknowledge, resolve, approve) and says where its outcome will show. */
final class IncidentCommandCall {

    private IncidentCommandCall() {
    }

    static int send(ApiOptions api, String id, String action, String actor, String note,
            Map<String, String> extra, PrintWriter out, PrintWriter err) {
        return ApiCall.run(() -> {
            IncidentApiClient client = api.writer(System.getenv());
            Map<String, String> body = new LinkedHashMap<>();
            body.put("actor", actor);
            if (note != null && !note.isBlank()) {
                body.put("note", note);
            }
            body.putAll(extra);
            JsonNode accepted = client.command(id, action, body);
            out.printf("%s of %s accepted (command %s); the outcome shows on its timeline: "
                    + "runstream incidents show %s%n", action, id, accepted.path("commandId").asText(), id);
            return 0;
        }, err);
    }

    /** Who is asking: the login name unless told otherwise. */
    static String defaultActor() {
        return System.getProperty("user.name", "runstream-cli");
    }
}
