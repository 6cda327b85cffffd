package io.runstream.processor.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.runstream.processor.runbook.Runbooks;

/** Loads the runbooks file, validating all of it before anything runs. */
public final class RunbooksFiles {

    /** The built-in runbooks: the seed runbooks' remediations. */
    public static final String DEFAULT_RESOURCE = "default-runbooks.yaml";

    private RunbooksFiles() {
    }

    /**
     * Loads {@code file}, or the built-in {@value #DEFAULT_RESOURCE} when it is null. In a given file a missing
     * {@code runbooks:} key keeps the built-in runbooks, and a missing section its defaults.
     *
     * @throws RulesFileException listing every problem with its line and the runbook and step it is in
     */
    public static Runbooks load(Path file) {
        if (file == null) {
            return builtIn();
        }
        try {
            return RunbooksParser.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8),
                    builtIn().runbooks());
        } catch (IOException e) {
            throw new RulesFileException(List.of(file + ": cannot read the runbooks file: " + e));
        }
    }

    /**
     * Parses runbooks-file text; {@code fileName} only labels the problems. A file without a {@code runbooks:}
     * key keeps the built-in runbooks ({@code runbooks: []} means none); a section left out keeps its defaults.
     */
    public static Runbooks parse(String fileName, String text) {
        return RunbooksParser.parse(fileName, text, builtIn().runbooks());
    }

    private static Runbooks builtIn() {
        return RunbooksParser.parse(DEFAULT_RESOURCE, defaultText(), java.util.List.of());
    }

    private static String defaultText() {
        try (InputStream in = RunbooksFiles.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
