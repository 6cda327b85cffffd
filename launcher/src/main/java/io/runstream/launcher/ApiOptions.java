package io.runstream.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import io.runstream.common.config.DurationParser;
import io.runstream.launcher.api.IncidentApiClient;
import picocli.CommandLine.Option;

/** Where the incident API is and how to write to it: shared by every command that talks to a running stack. */
final class ApiOptions {

    @Option(names = "--api", defaultValue = "http://127.0.0.1:8082", paramLabel = "URL",
            description = "The stream processor's incident API (default ${DEFAULT-VALUE}, runstream run's).")
    URI api;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the API write token "
            + "(api.writeToken). Else RUNSTREAM_API_WRITE_TOKEN, else ~/.runstream/api-write-token (written by "
            + "runstream run). Never given on the command line.")
    Path tokenFile;

    @Option(names = "--read-token-file", paramLabel = "FILE", description = "File holding the API read token, when "
            + "the stack has one (api.readToken). Else RUNSTREAM_API_READ_TOKEN; none: reads are open.")
    Path readTokenFile;

    @Option(names = "--retry-for", defaultValue = "15s", paramLabel = "DURATION", description = "How long to retry "
            + "while the API answers 503 (rebalancing, restoring) as its Retry-After says (default ${DEFAULT-VALUE}).")
    String retryFor;

    /** A client without the write token: reading needs none (only the read token, if the stack has one). */
    IncidentApiClient reader() {
        return new IncidentApiClient(api, null, ReadToken.read(readTokenFile, System.getenv()),
                DurationParser.parse(retryFor), Clock.systemUTC());
    }

    /** A client with the write token, read from the file or environment (IllegalArgumentException if unreadable). */
    IncidentApiClient writer(Map<String, String> environment) {
        return new IncidentApiClient(api, WriteToken.read(tokenFile, environment),
                ReadToken.read(readTokenFile, environment), DurationParser.parse(retryFor), Clock.systemUTC());
    }
}
