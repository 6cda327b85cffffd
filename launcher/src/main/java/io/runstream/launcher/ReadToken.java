package io.runstream.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * The incident API's optional read token ({@code api.readToken}) on the command line's side: from a file or the
 * environment, like the write token, never an argument and never printed; null when reads are open.
 */
final class ReadToken {

    static final String ENV = "RUNSTREAM_API_READ_TOKEN";
    static final String FILE_ENV = ENV + "_FILE";

    private ReadToken() {
    }

    /** @throws IllegalArgumentException when the given file cannot be read or is empty */
    static String read(Path file, Map<String, String> environment) {
        if (file != null) {
            return WriteToken.fromFile(file);
        }
        String fromEnv = environment.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        String named = environment.get(FILE_ENV);
        return named == null || named.isBlank() ? null : WriteToken.fromFile(Path.of(named.trim()));
    }
}
