package io.runstream.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A test's need for a program that is not a Maven dependency (Debian's prometheus, chromium, python3 modules,
 * kubectl). Where it is missing the test is skipped with the reason, except with {@code CI} set: there a missing
 * tool fails the test, so a broken installation cannot hide a regression behind a skip.
 */
public final class RequiredTool {

    private final Function<String, String> environment;

    private RequiredTool(Function<String, String> environment) {
        this.environment = environment;
    }

    /** Reads {@code CI} from the process environment. */
    public static RequiredTool fromEnvironment() {
        return new RequiredTool(System::getenv);
    }

    /** For tests of this class: the environment given. */
    static RequiredTool withEnvironment(Function<String, String> environment) {
        return new RequiredTool(environment);
    }

    /** Requires each command on the PATH; {@code install} says how to get them, e.g. "apt-get install prometheus". */
    public static void onPath(String install, String... commands) {
        fromEnvironment().require(Arrays.stream(commands).allMatch(RequiredTool::isOnPath),
                String.join(" and ", commands) + " not on the PATH", install);
    }

    /** Requires each file to exist and be executable. */
    public static void executables(String install, Path... files) {
        fromEnvironment().require(Arrays.stream(files).allMatch(Files::isExecutable),
                "not executable: " + List.of(files), install);
    }

    /** Requires a condition checked by the caller (e.g. a Python module importable). */
    public static void available(boolean available, String missing, String install) {
        fromEnvironment().require(available, missing, install);
    }

    void require(boolean available, String missing, String install) {
        if (available) {
            return;
        }
        String reason = missing + " (" + install + ")";
        String ci = environment.apply("CI");
        if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
            Assertions.fail("CI is set, so a missing tool fails instead of skipping: " + reason);
        }
        Assumptions.abort(reason);
    }

    static boolean isOnPath(String command) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }
}
