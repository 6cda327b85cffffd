package io.runstream.launcher;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runstream incidents list|show}: the incidents of a running stack, read from its incident API. */
@Command(name = "incidents", mixinStandardHelpOptions = true,
        description = {"List or show the incidents of a running stack (its incident API).",
            "Exit codes: 0 ok, 1 the API refused (e.g. 404 unknown id), 2 usage, 3 the API cannot be reached, "
                + "4 the API stayed unavailable (503)."},
        subcommands = {IncidentsCommand.ListIncidents.class, IncidentsCommand.ShowIncident.class})
final class IncidentsCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Give a subcommand: list or show ID");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Incidents, newest first.")
    static final class ListIncidents implements Callable<Integer> {

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Mixin
        ApiOptions api;

        @Option(names = "--state", paramLabel = "STATES", description = "e.g. OPEN,ACKNOWLEDGED (default: all).")
        String state;

        @Option(names = "--severity", paramLabel = "SEVERITIES", description = "e.g. P1,P2 (default: all).")
        String severity;

        @Option(names = "--service", description = "Only this service's incidents.")
        String service;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "The API's JSON items, one array, instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            if (limit < 1) {
                spec.commandLine().getErr().println("runstream: --limit must be at least 1");
                return 2;
            }
            Map<String, String> filters = new LinkedHashMap<>();
            put(filters, "state", state);
            put(filters, "severity", severity);
            put(filters, "service", service);
            return ApiCall.run(() -> {
                List<JsonNode> incidents = api.reader().list(filters, limit);
                if (json) {
                    spec.commandLine().getOut().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(incidents));
                } else {
                    IncidentText.table(incidents, Instant.now(), spec.commandLine().getOut());
                }
                return 0;
            }, spec.commandLine().getErr());
        }

        private static void put(Map<String, String> filters, String name, String value) {
            if (value != null && !value.isBlank()) {
                filters.put(name, value.trim());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One incident with its alerts, actions and timeline.")
    static final class ShowIncident implements Callable<Integer> {

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Mixin
        ApiOptions api;

        @Parameters(paramLabel = "ID", description = "The incident id, e.g. INC-3F2A9C01B7E4.")
        String id;

        @Option(names = "--json", description = "The API's JSON instead of text.")
        boolean json;

        @Override
        public Integer call() {
            return ApiCall.run(() -> {
                JsonNode incident = api.reader().incident(id);
                if (json) {
                    spec.commandLine().getOut().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(incident));
                } else {
                    IncidentText.details(incident, Instant.now(), spec.commandLine().getOut());
                }
                return 0;
            }, spec.commandLine().getErr());
        }
    }
}
