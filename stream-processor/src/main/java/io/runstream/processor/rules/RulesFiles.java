package io.runstream.processor.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Loads the rules file, validating all of it before anything runs. */
public final class RulesFiles {

    /** The built-in rules on the classpath: the runbooks' alerts and policies. */
    public static final String DEFAULT_RESOURCE = "default-rules.yaml";

    private RulesFiles() {
    }

    /**
     * Loads {@code file}, or the built-in {@value #DEFAULT_RESOURCE} when it is null. In a given file a missing
     * section takes its defaults, and a missing {@code rules:} key the built-in rules ({@code rules: []} means
     * none).
     *
     * @throws RulesFileException listing every problem, each with the file, line and column
     */
    public static RulesFile load(Path file) {
        RulesFile builtIn = RulesParser.parse(DEFAULT_RESOURCE, defaultText(), Optional.empty());
        if (file == null) {
            return builtIn;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RulesFileException(List.of(file + ": cannot read the rules file: " + e));
        }
        return RulesParser.parse(file.toString(), text, Optional.of(builtIn.rules()));
    }

    /** Parses rules-file text; {@code fileName} only labels the problems. */
    public static RulesFile parse(String fileName, String text) {
        return RulesParser.parse(fileName, text, Optional.of(RulesParser.parse(DEFAULT_RESOURCE, defaultText(),
                Optional.empty()).rules()));
    }

    private static String defaultText() {
        try (InputStream in = RulesFiles.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + DEFAULT_RESOURCE, e);
        }
    }
}
