package io.runstream.ingest.http;

import java.util.Locale;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.runstream.avro.MetricSample;
import io.runstream.ingest.kafka.RecordPublisher;
import io.runstream.ingest.kafka.RecordPublisher.KafkaUnavailable;
import io.runstream.ingest.parse.RejectedInput;
import io.runstream.ingest.remotewrite.RemoteWriteParser;
import io.runstream.schemas.Topic;

/**
 * {@code POST /api/v1/write}: Prometheus remote-write 1.0 ({@code Content-Type: application/x-protobuf},
 * {@code Content-Encoding: snappy}), one MetricSample per sample keyed by service; 204 once all are in Kafka.
 * A remote-write 2.0 body ({@code proto=io.prometheus.write.v2.Request}) is refused with 415, which tells a
 * 2.0 sender to fall back to 1.0.
 */
public final class RemoteWriteEndpoint extends IngestEndpoint {

    private static final String MEDIA_TYPE = "application/x-protobuf";

    private final RemoteWriteParser parser;
    private final RecordPublisher publisher;
    private final Topic<String, MetricSample> topic;
    private final Counter samples;
    private final Counter staleMarkers;

    public RemoteWriteEndpoint(RemoteWriteParser parser, RecordPublisher publisher, Topic<String, MetricSample> topic,
            EndpointAuth auth, long maxBodyBytes, MeterRegistry registry, long retryAfterSeconds) {
        super("remote_write", auth, maxBodyBytes, registry, retryAfterSeconds);
        this.parser = parser;
        this.publisher = publisher;
        this.topic = topic;
        this.samples = Counter.builder("runstream_ingest_samples").description("Metric samples produced to Kafka")
                .register(registry);
        this.staleMarkers = Counter.builder("runstream_ingest_stale_markers")
                .description("Prometheus stale markers received and dropped (they carry no value)")
                .register(registry);
    }

    @Override
    protected boolean acceptsMediaType(String mediaType, Request request) {
        if (!MEDIA_TYPE.equals(mediaType)) {
            return false;
        }
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE).toLowerCase(Locale.ROOT);
        int proto = contentType.indexOf("proto=");
        return proto < 0 || contentType.startsWith("prometheus.writerequest", proto + "proto=".length());
    }

    @Override
    protected String expectedMediaType() {
        return MEDIA_TYPE + " (remote-write 1.0, proto=prometheus.WriteRequest)";
    }

    @Override
    protected void checkHeaders(Request request) throws RejectedInput {
        String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        if (encoding == null || !"snappy".equalsIgnoreCase(encoding.trim())) {
            throw new RejectedInput(415, "unsupported_encoding", "expected Content-Encoding snappy but got "
                    + (encoding == null ? "none" : encoding), "Content-Encoding");
        }
    }

    @Override
    protected int ingest(byte[] body, Request request) throws RejectedInput, KafkaUnavailable {
        RemoteWriteParser.Parsed parsed = parser.parse(body);
        publisher.publish(topic, parsed.samples());
        samples.increment(parsed.samples().size());
        staleMarkers.increment(parsed.staleMarkers());
        return 204;
    }
}
