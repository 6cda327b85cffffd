package io.runstream.deploy;

import java.util.Map;

import io.runstream.common.config.ConfigLoader;
import io.runstream.common.http.HttpSettings;
import io.runstream.common.service.RunstreamService;
import io.runstream.ingest.IngestConnector;
import io.runstream.ingest.IngestConnectorConfig;
import io.runstream.processor.StreamProcessor;
import io.runstream.processor.StreamProcessorConfig;
import io.runstream.workers.ActionWorkers;
import io.runstream.workers.ActionWorkersConfig;

/**
 * The three Runstream services as deployments name them: the compose service / Kubernetes workload name, the
 * main class the image runs, and the configuration it loads (defaults, then RUNSTREAM_* variables).
 */
enum RunstreamServices {

    INGEST_CONNECTOR("ingest-connector", IngestConnector.class, IngestConnectorConfig.class,
            IngestConnectorConfig.DEFAULTS) {
        @Override
        RunstreamService create(Map<String, String> environment) {
            return new IngestConnector(load(IngestConnectorConfig.class, environment));
        }
    },
    STREAM_PROCESSOR("stream-processor", StreamProcessor.class, StreamProcessorConfig.class,
            StreamProcessorConfig.DEFAULTS) {
        @Override
        RunstreamService create(Map<String, String> environment) {
            return new StreamProcessor(load(StreamProcessorConfig.class, environment));
        }
    },
    ACTION_WORKERS("action-workers", ActionWorkers.class, ActionWorkersConfig.class, ActionWorkersConfig.DEFAULTS) {
        @Override
        RunstreamService create(Map<String, String> environment) {
            return new ActionWorkers(load(ActionWorkersConfig.class, environment));
        }
    };

    final String deploymentName;
    final Class<?> mainClass;
    final Class<?> configType;
    final String defaults;

    RunstreamServices(String deploymentName, Class<?> mainClass, Class<?> configType, String defaults) {
        this.deploymentName = deploymentName;
        this.mainClass = mainClass;
        this.configType = configType;
        this.defaults = defaults;
    }

    /** The service configured from defaults and {@code environment}, not started. */
    abstract RunstreamService create(Map<String, String> environment);

    /** The configuration {@code environment} gives, validated as at the service's start. */
    Object configuration(Map<String, String> environment) {
        return load(configType, environment);
    }

    /** Where the service's HTTP server (API, health, metrics) listens under {@code environment}. */
    HttpSettings http(Map<String, String> environment) {
        return switch (this) {
            case INGEST_CONNECTOR -> load(IngestConnectorConfig.class, environment).http();
            case STREAM_PROCESSOR -> load(StreamProcessorConfig.class, environment).http();
            case ACTION_WORKERS -> load(ActionWorkersConfig.class, environment).http();
        };
    }

    <C> C load(Class<C> type, Map<String, String> environment) {
        return new ConfigLoader().load(type, defaults, null, environment);
    }

    static RunstreamServices named(String deploymentName) {
        for (RunstreamServices service : values()) {
            if (service.deploymentName.equals(deploymentName)) {
                return service;
            }
        }
        throw new IllegalArgumentException("no Runstream service is deployed as " + deploymentName);
    }
}
