package io.runstream.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository checkout the tests run in: every deployment file is read from it, never copied. */
final class Repo {

    private Repo() {
    }

    /** The repository's root; the build passes it as {@code runstream.repoRoot}. */
    static Path root() {
        return Path.of(System.getProperty("runstream.repoRoot", "..")).toAbsolutePath().normalize();
    }

    /** A file of the repository, which must exist. */
    static Path file(String relative) {
        Path file = root().resolve(relative).normalize();
        if (!Files.exists(file)) {
            throw new IllegalStateException(relative + " does not exist under " + root());
        }
        return file;
    }

    /** The Kafka client version of the build (pom.xml's kafka.version). */
    static String kafkaVersion() {
        String version = System.getProperty("runstream.kafkaVersion");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("runstream.kafkaVersion is not set; run the tests through Maven");
        }
        return version;
    }
}
