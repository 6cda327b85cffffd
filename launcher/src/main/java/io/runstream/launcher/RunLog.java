package io.runstream.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;

/**
 * Where {@code runstream run} logs: the broker's, Kafka Streams' and the services' log lines go to a file, so the
 * terminal shows only what a user needs (the endpoints, the scenario's story); errors still reach stderr.
 * The services started on their own (the image, compose, Kubernetes) keep logging to stdout per logback.xml.
 */
final class RunLog {

    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n";

    private RunLog() {
    }

    /** {@code ~/.runstream/logs/run-<local time>.log}. */
    static Path defaultFile() {
        return Path.of(System.getProperty("user.home"), ".runstream", "logs",
                "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".log");
    }

    /** Sends every log line to {@code file} and only errors to stderr. */
    static void toFile(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();

        FileAppender<ILoggingEvent> toFile = new FileAppender<>();
        toFile.setContext(context);
        toFile.setName("RUN-FILE");
        toFile.setFile(file.toString());
        toFile.setAppend(true);
        toFile.setEncoder(encoder(context));
        toFile.start();
        root.addAppender(toFile);

        ThresholdFilter errorsOnly = new ThresholdFilter();
        errorsOnly.setLevel(Level.ERROR.toString());
        errorsOnly.start();
        ConsoleAppender<ILoggingEvent> errors = new ConsoleAppender<>();
        errors.setContext(context);
        errors.setName("RUN-ERRORS");
        errors.setTarget("System.err");
        errors.addFilter(errorsOnly);
        errors.setEncoder(encoder(context));
        errors.start();
        root.addAppender(errors);
    }

    private static PatternLayoutEncoder encoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }
}
