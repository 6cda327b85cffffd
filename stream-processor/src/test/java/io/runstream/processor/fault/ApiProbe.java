package io.runstream.processor.fault;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.Incident;
import io.runstream.schemas.Topic;

/**
 * Asks every live instance's incident API, over and over, for incidents known to exist (committed on the
 * incidents topic a few seconds ago, so every owner has had time to read them): the answer must be the
 * incident itself, or 503 with Retry-After while partitions move. Anything else (a 404 for an incident that
 * exists, another incident, a 500, a 503 without a retry hint) is recorded as a wrong answer.
 */
final class ApiProbe implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLED = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Supplier<List<URI>> instances;
    private final KafkaConsumer<String, Incident> incidents;
    private final Map<String, Instant> knownSince = new ConcurrentHashMap<>();
    private final AtomicLong correct = new AtomicLong();
    private final AtomicLong retryLater = new AtomicLong();
    private final List<String> wrong = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    ApiProbe(Properties clientProperties, Topic<String, Incident> topic, Supplier<List<URI>> instances) {
        this.instances = instances;
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.incidents = new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> partitions = incidents.partitionsFor(topic.name()).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        incidents.assign(partitions);
        incidents.seekToBeginning(partitions);
        this.thread = new Thread(this::probe, "api-probe");
    }

    ApiProbe start() {
        thread.start();
        return this;
    }

    long correctAnswers() {
        return correct.get();
    }

    long retryLaterAnswers() {
        return retryLater.get();
    }

    List<String> wrongAnswers() {
        return List.copyOf(wrong);
    }

    private void probe() {
        while (running.get()) {
            incidents.poll(Duration.ofMillis(100)).forEach(r -> knownSince.putIfAbsent(r.key(), Instant.now()));
            List<String> settled = new ArrayList<>();
            Instant cutoff = Instant.now().minus(SETTLED);
            knownSince.forEach((id, since) -> {
                if (since.isBefore(cutoff)) {
                    settled.add(id);
                }
            });
            if (settled.isEmpty()) {
                continue;
            }
            for (URI instance : instances.get()) {
                String id = settled.get(ThreadLocalRandom.current().nextInt(settled.size()));
                check(instance, id);
            }
        }
    }

    private void check(URI instance, String id) {
        HttpResponse<String> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(instance.resolve("/api/v1/incidents/" + id))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // an instance being removed stops listening; that is the caller's doing, not a wrong answer
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return;
        }
        if (answer.statusCode() == 503 && answer.headers().firstValue("Retry-After").isPresent()) {
            retryLater.incrementAndGet();
        } else if (answer.statusCode() == 200 && id.equals(idOf(answer.body()))) {
            correct.incrementAndGet();
        } else {
            wrong.add(instance + " " + id + " -> " + answer.statusCode() + " " + answer.headers().map() + " "
                    + answer.body());
        }
    }

    private static String idOf(String body) {
        try {
            JsonNode id = JSON.readTree(body).get("id");
            return id == null ? null : id.asText();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        incidents.close();
    }
}
