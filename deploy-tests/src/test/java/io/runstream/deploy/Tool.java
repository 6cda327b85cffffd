package io.runstream.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A command-line tool of Debian's prometheus packages (promtool, amtool, ...), run to completion. */
final class Tool {

    /** What a run printed (stdout and stderr together) and how it exited. */
    record Result(int exitCode, String output) {
    }

    private Tool() {
    }

    static Result run(Path workingDirectory, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            // The tools print little; reading to the end also waits for them to finish.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(List.of(command) + " did not finish in 60 s: " + output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0] + " (is Debian's package installed? "
                    + ".ci/run installs prometheus and prometheus-alertmanager)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
