package io.runstream.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class ValidateCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureOutput() {
        original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(original);
    }

    @Test
    void exitsZeroForValidFiles(@TempDir Path dir) throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "dedup: {window: 2m}\n");
        Path runbooks = Files.writeString(dir.resolve("runbooks.yaml"), "recovery: {hold: 5m}\n");

        int exit = run("validate", "--rules", rules.toString(), "--runbooks", runbooks.toString());

        assertThat(exit).isZero();
        assertThat(output()).contains("rules.yaml: valid (", "runbooks.yaml: valid (7 runbooks)");
    }

    @Test
    void exitsOneAndPrintsEveryProblemWithItsLine(@TempDir Path dir) throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "dedup:\n  window: soon\n");
        Path runbooks = Files.writeString(dir.resolve("runbooks.yaml"), "runbooks:\n  - name: x\n    steps: []\n");

        int exit = run("validate", "--rules", rules.toString(), "--runbooks", runbooks.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(output()).contains("rules.yaml line 2", "'soon' is not a duration", "runbooks.yaml line 2",
                "runbooks[0].match: required but missing");
    }

    @Test
    void exitsTwoWithoutAFileAndOneForAMissingFile(@TempDir Path dir) {
        assertThat(run("validate")).isEqualTo(2);
        assertThat(run("validate", "--rules", dir.resolve("nope.yaml").toString())).isEqualTo(1);
        assertThat(output()).contains("nope.yaml: cannot be read");
    }

    private static int run(String... args) {
        return new CommandLine(new RunstreamCli()).execute(args);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
