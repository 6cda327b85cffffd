package io.runstream.processor;

import java.nio.file.Path;
import java.util.Objects;

import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.common.service.ServiceConfig;
import io.runstream.processor.rules.RulesFile;
import io.runstream.processor.rules.RulesFiles;
import io.runstream.processor.rules.RunbooksFiles;
import io.runstream.processor.runbook.Runbooks;
import io.runstream.schemas.registry.SchemaSettings;

/**
 * Everything the stream processor is configured with; defaults in {@code stream-processor-defaults.yaml}.
 * {@code rulesFile} names the YAML rules file (detection rules, dedup, correlation, severity); empty means
 * the built-in runbook defaults. {@code runbooksFile} names the YAML runbooks file; empty means the built-in
 * runbooks.
 */
public record StreamProcessorConfig(KafkaSettings kafka, HttpSettings http, StreamsSettings streams, ApiSettings api,
        String rulesFile, String runbooksFile, SchemaSettings schemas)
        implements ServiceConfig<StreamProcessorConfig> {

    public static final String DEFAULTS = "stream-processor-defaults.yaml";

    public StreamProcessorConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(streams, "streams");
        rulesFile = rulesFile == null ? "" : rulesFile.trim();
        runbooksFile = runbooksFile == null ? "" : runbooksFile.trim();
        api = api == null ? ApiSettings.readOnly() : api;
        schemas = schemas == null ? SchemaSettings.DEFAULTS : schemas;
    }

    /** In the default wire format, single-object encoding. */
    public StreamProcessorConfig(KafkaSettings kafka, HttpSettings http, StreamsSettings streams, ApiSettings api,
            String rulesFile, String runbooksFile) {
        this(kafka, http, streams, api, rulesFile, runbooksFile, SchemaSettings.DEFAULTS);
    }

    /** A configuration with the built-in rules. */
    public StreamProcessorConfig(KafkaSettings kafka, HttpSettings http, StreamsSettings streams) {
        this(kafka, http, streams, ApiSettings.readOnly(), "", "", SchemaSettings.DEFAULTS);
    }

    @Override
    public StreamProcessorConfig withKafka(KafkaSettings newKafka) {
        return new StreamProcessorConfig(newKafka, http, streams, api, rulesFile, runbooksFile, schemas);
    }

    @Override
    public StreamProcessorConfig withHttp(HttpSettings newHttp) {
        return new StreamProcessorConfig(kafka, newHttp, streams, api, rulesFile, runbooksFile, schemas);
    }

    public StreamProcessorConfig withApi(ApiSettings newApi) {
        return new StreamProcessorConfig(kafka, http, streams, newApi, rulesFile, runbooksFile, schemas);
    }

    public StreamProcessorConfig withRunbooksFile(String newRunbooksFile) {
        return new StreamProcessorConfig(kafka, http, streams, api, rulesFile, newRunbooksFile, schemas);
    }

    /** The runbooks file, validated: every problem is named with its line, runbook and step. */
    public Runbooks runbooks() {
        return RunbooksFiles.load(runbooksFile.isEmpty() ? null : Path.of(runbooksFile));
    }

    /** The rules file, validated: every problem is named with its line, all at once. */
    public RulesFile rules() {
        return RulesFiles.load(rulesFile.isEmpty() ? null : Path.of(rulesFile));
    }
}
