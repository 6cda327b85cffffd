package io.runstream.processor.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.runstream.avro.MetricKind;
import io.runstream.avro.MetricSample;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.schemas.Topic;

/** Scrapes of a service's {@code http_requests_total} (200 and 500 series) as remote_write would produce them. */
final class RequestSamples {

    private RequestSamples() {
    }

    /**
     * One scrape every 15 s over the {@code minutes} before now, at {@code failedRatio} of 10 requests a second,
     * so detection evaluates (and keeps the health of) every step up to about a minute ago.
     */
    static void scrapes(KafkaSettings settings, Topic<String, MetricSample> topic, String service, String namespace,
            int minutes, double failedRatio) {
        Instant now = Instant.now();
        try (KafkaProducer<String, MetricSample> producer = new KafkaProducer<>(settings.clientProperties(),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int step = 0; step <= minutes * 4; step++) {
                Instant time = now.minus(Duration.ofMinutes(minutes)).plusSeconds(15L * step);
                double requests = 150.0 * step;
                send(producer, topic, service, namespace, "200", requests * (1 - failedRatio), time);
                send(producer, topic, service, namespace, "500", requests * failedRatio, time);
            }
            producer.flush();
        }
    }

    private static void send(KafkaProducer<String, MetricSample> producer, Topic<String, MetricSample> topic,
            String service, String namespace, String status, double value, Instant time) {
        MetricSample sample = MetricSample.newBuilder().setName("http_requests_total").setService(service)
                .setLabels(Map.of("service", service, "namespace", namespace, "status", status))
                .setKind(MetricKind.COUNTER).setValue(value).setTimestamp(time).build();
        producer.send(new ProducerRecord<>(topic.name(), null, time.toEpochMilli(), service, sample));
    }
}
