package io.runstream.common.service;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.runstream.common.config.ConfigException;
import io.runstream.common.config.ConfigLoader;

/**
 * The {@code main} of a service running alone: {@code --config FILE} (optional), configuration from the
 * file and RUNSTREAM_* variables, start, print the endpoints, stop on SIGINT/SIGTERM.
 */
public final class ServiceMain {

    private static final Logger log = LoggerFactory.getLogger(ServiceMain.class);

    private ServiceMain() {
    }

    public static <C> void run(String[] args, Class<C> configType, String defaultsResource,
            Function<C, RunstreamService> factory) {
        Path configFile = parseConfigFlag(args);
        C config;
        try {
            config = new ConfigLoader().load(configType, defaultsResource, configFile, System.getenv());
        } catch (ConfigException e) {
            System.err.println("runstream: " + e.getMessage());
            System.exit(2);
            return;
        }
        RunstreamService service = factory.apply(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.close();
            stopped.countDown();
        }, service.name() + "-shutdown"));
        try {
            service.start();
        } catch (RuntimeException e) {
            log.error("{} could not start: {}", service.name(), e.getMessage(), e);
            System.exit(1);
        }
        service.endpoints().forEach((label, uri) -> System.out.printf("%-18s %s%n", label, uri));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path parseConfigFlag(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
        }
        if (args.length > 0) {
            throw new ConfigException("usage: [--config FILE]; unexpected argument " + args[0]);
        }
        return null;
    }
}
