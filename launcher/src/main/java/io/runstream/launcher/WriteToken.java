package io.runstream.launcher;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The incident API's write token on the command line's side. It is read from a file or the environment, never
 * taken as an argument (arguments show in {@code ps} and shell history) and never printed. {@code runstream run}
 * makes one when none is configured and leaves it, readable by its owner only, where the other commands look.
 */
final class WriteToken {

    static final String ENV = "RUNSTREAM_API_WRITE_TOKEN";
    /** The stream processor's way of reading the token from a mounted secret; the CLI honours it too. */
    static final String FILE_ENV = ENV + "_FILE";

    private WriteToken() {
    }

    /** Where {@code runstream run} leaves the token it made, and where the other commands look last. */
    static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".runstream", "api-write-token");
    }

    /**
     * The token from {@code file} if given, else from {@value #ENV}, else from the file {@value #FILE_ENV} names,
     * else from the default file if it exists; null when there is none.
     *
     * @throws IllegalArgumentException when the given file cannot be read or is empty
     */
    static String read(Path file, Map<String, String> environment) {
        if (file != null) {
            return fromFile(file);
        }
        String fromEnv = environment.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        String named = environment.get(FILE_ENV);
        if (named != null && !named.isBlank()) {
            return fromFile(Path.of(named.trim()));
        }
        return Files.isRegularFile(defaultFile()) ? fromFile(defaultFile()) : null;
    }

    static String fromFile(Path file) {
        try {
            String token = Files.readString(file).trim();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("the token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file " + file + ": " + e.getMessage());
        }
    }

    /** Whether the environment gives the stack a token, directly or through a file. */
    static boolean configured(Map<String, String> environment) {
        return !environment.getOrDefault(ENV, "").isBlank() || !environment.getOrDefault(FILE_ENV, "").isBlank();
    }

    /** A new random token, 43 URL-safe characters. */
    static String generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Writes the token to {@code file}, readable and writable by its owner only. */
    static void write(Path file, String token) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system: the directory's own protection applies
            } catch (FileAlreadyExistsException e) {
                throw new IllegalStateException("another process created " + file + " at the same moment", e);
            }
            Files.writeString(file, token + "\n");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write the token file " + file + ": " + e.getMessage());
        }
    }
}
