package io.runstream.processor.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.runstream.avro.ActionCommand;
import io.runstream.avro.Alert;
import io.runstream.avro.AlertSource;
import io.runstream.avro.AlertStatus;
import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;
import io.runstream.processor.ApiSettings;
import io.runstream.processor.StreamProcessor;
import io.runstream.processor.StreamProcessorConfig;
import io.runstream.processor.StreamsSettings;
import io.runstream.schemas.RunstreamSerdes;
import io.runstream.schemas.Topic;
import io.runstream.schemas.TopicCatalog;
import io.runstream.testing.TestKafka;
import io.runstream.testing.WithKafka;

/**
 * The dashboard in a real browser (Debian's headless chromium) against a real broker and stream processor:
 * two P1 incidents appear under P1 with their next escalation; one's detail shows its service's error-rate
 * chart and its timeline; it is acknowledged from the page with the write token, and only the other one goes on
 * to page the tech lead.
 */
@WithKafka
class DashboardBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "browser-it-write-token-0123";
    /** Long enough for the browser to start, load and acknowledge; short enough for a test. */
    private static final int TECH_LEAD_AFTER_SECONDS = 40;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StreamProcessor processor;
    private ChromeDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (processor != null) {
            processor.close();
        }
    }

    @Test
    void showsOpenIncidentsBySeverityAndAcknowledgingOneStopsOnlyItsEscalation(TestKafka kafka, @TempDir Path dir)
            throws IOException {
        HeadlessChromium.requireInstalled();
        // given: a processor whose P1 chain pages the on-call at once and the tech lead after 40 s
        Path runbooks = Files.writeString(dir.resolve("runbooks.yaml"), """
                escalation:
                  severities:
                    P1:
                      steps:
                        - {name: page-on-call, after: 0s, action: PAGE, channel: pagerduty/on-call}
                        - {name: page-tech-lead, after: %ds, action: PAGE, channel: pagerduty/tech-lead}
                      statusUpdates: {every: 0s, channel: slack/none}
                runbooks: []
                """.formatted(TECH_LEAD_AFTER_SECONDS));
        KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), kafka.uniqueId("dashboard") + ".", 3,
                (short) 1, Map.of());
        TopicCatalog topics = new TopicCatalog(settings.topicSettings(), RunstreamSerdes.avro());
        processor = new StreamProcessor(new StreamProcessorConfig(settings, new HttpSettings("127.0.0.1", 0, null),
                new StreamsSettings(kafka.uniqueId("processor"), dir.resolve("state").toString(), "exactly_once_v2",
                        Duration.ofMillis(100), 0, ""), new ApiSettings(TOKEN), "", runbooks.toString()));
        processor.start();
        browser = HeadlessChromium.start(dir.resolve("chromedriver.log"));
        await().atMost(Duration.ofSeconds(60)).until(processor::running);

        // and: the gateway's last ten minutes of traffic were measured; then two services fail at once, 12 % 5xx
        // each, say their alerts: two P1 incidents
        RequestSamples.scrapes(settings, topics.metricSamples(), "inference-gateway", "ml-prod", 10, 0.005);
        produceFiringAlerts(settings, topics, "inference-gateway", "feature-store");
        String acknowledged = incidentOf("inference-gateway");
        String unattended = incidentOf("feature-store");

        // when: the dashboard is opened
        browser.get(base().resolve("/dashboard").toString());
        // The page redraws its lists at every poll, so elements are looked up afresh for each check.
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(ExpectedConditions.visibilityOfElementLocated(row(acknowledged)));

        // then: both are listed under P1 with their severity and who is paged next
        wait.until(ExpectedConditions.attributeToBe(row(acknowledged), "data-severity", "P1"));
        wait.until(ExpectedConditions.attributeToBe(row(unattended), "data-severity", "P1"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(row(acknowledged), "inference-gateway"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr.group"), "P1 2 open"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(nextEscalationOf(acknowledged),
                "page pagerduty/tech-lead in"));

        // when: one is acknowledged from its detail view, entering the write token when the page asks for it
        wait.until(page -> click(page, row(acknowledged)));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#detail h2"), "HighErrorRate"));
        // and: its service's error rate is drawn, one point per detection step; no latency was measured
        wait.until(page -> Integer.parseInt(page.findElement(By.id("chart-error-rate")).getDomAttribute("data-points"))
                >= 10);
        wait.until(ExpectedConditions.attributeToBe(By.id("chart-error-rate"), "data-latest", "0.5 %"));
        assertThat(browser.findElements(By.cssSelector("#chart-error-rate polyline"))).hasSize(1);
        wait.until(ExpectedConditions.attributeToBe(By.id("chart-latency-p95"), "data-points", "0"));
        wait.until(page -> click(page, By.cssSelector("button[data-action=acknowledge]")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("write-token"))).sendKeys(TOKEN);
        browser.findElement(By.id("actor")).sendKeys("alice");
        browser.findElement(By.id("tokens-save")).click();

        // then: the page shows it acknowledged, its escalation stopped, and its timeline
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-message"), "accepted"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("tokens")));
        wait.until(ExpectedConditions.attributeToBe(row(acknowledged), "data-state", "ACKNOWLEDGED"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(row(acknowledged), "acknowledged by alice"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(nextEscalationOf(acknowledged), "stopped"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(nextEscalationOf(unattended),
                "pagerduty/tech-lead"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#timeline li[data-type=ACKNOWLEDGED]")));
        List<String> timeline = wait.until(page -> timelineTypes(page));
        assertThat(timeline).contains("OPENED", "ALERT_ATTACHED", "ESCALATED", "ACKNOWLEDGED");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("actions"), "escalation/page-on-call"));
        // every notice of the incident with its channel (issue 18: the dashboard lists what was sent where)
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notices"), "pagerduty/on-call"));
        assertThat(browser.executeScript("return sessionStorage.getItem('runstream.writeToken')")).isEqualTo(TOKEN);
        assertThat(browser.executeScript("return localStorage.length")).isEqualTo(0L);
        Files.write(Path.of("target", "dashboard-browser-it.png"), browser.getScreenshotAs(OutputType.BYTES));

        // and: the unattended incident pages the tech lead when due; the acknowledged one, opened with it, never
        await().atMost(Duration.ofSeconds(TECH_LEAD_AFTER_SECONDS + 60)).until(() ->
                escalations(settings, topics).contains(unattended + "/escalation/page-tech-lead"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                !escalations(settings, topics).contains(acknowledged + "/escalation/page-tech-lead"));
        assertThat(escalations(settings, topics)).contains(acknowledged + "/escalation/page-on-call",
                unattended + "/escalation/page-on-call");
    }

    private static By row(String incidentId) {
        return By.cssSelector("tr.incident[data-id='" + incidentId + "']");
    }

    private static By nextEscalationOf(String incidentId) {
        return By.cssSelector("tr.incident[data-id='" + incidentId + "'] td.next-escalation");
    }

    /** Clicks the element now found by {@code locator}; true once done (a wait retries a stale element). */
    private static boolean click(WebDriver browser, By locator) {
        browser.findElement(locator).click();
        return true;
    }

    private static List<String> timelineTypes(WebDriver browser) {
        return browser.findElements(By.cssSelector("#timeline li")).stream().map(li -> li.getDomAttribute("data-type"))
                .toList();
    }

    private String incidentOf(String service) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode items = JSON.readTree(get("/api/v1/incidents?service=" + service).body()).path("items");
            return items.size() == 1 ? items.get(0).path("id").asText() : null;
        }, id -> id != null);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI base() {
        return processor.endpoints().get("processor health").resolve("/");
    }

    private static void produceFiringAlerts(KafkaSettings settings, TopicCatalog topics, String... services) {
        Instant now = Instant.now();
        try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(settings.clientProperties(),
                topics.alerts().keySerde().serializer(), topics.alerts().valueSerde().serializer())) {
            for (String service : services) {
                Alert alert = Alert.newBuilder().setFingerprint("fp-" + service).setStatus(AlertStatus.FIRING)
                        .setLabels(Map.of("alertname", "HighErrorRate", "severity", "critical", "service", service,
                                "namespace", "ml-prod"))
                        .setAnnotations(Map.of("kind", "error_ratio", "value", "0.12")).setStartsAt(now)
                        .setSource(AlertSource.ALERTMANAGER).setReceivedAt(now).build();
                producer.send(new ProducerRecord<>(topics.alerts().name(), null, now.toEpochMilli(),
                        alert.getFingerprint(), alert));
            }
            producer.flush();
        }
    }

    /** The ids of the escalation commands committed so far. */
    private static List<String> escalations(KafkaSettings settings, TopicCatalog topics) {
        Properties props = settings.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> ids = new ArrayList<>();
        Topic<String, ActionCommand> commands = topics.actionCommands();
        try (KafkaConsumer<String, ActionCommand> consumer = new KafkaConsumer<>(props,
                commands.keySerde().deserializer(), commands.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(commands.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 5000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.value().getCommandId().contains("/escalation/")) {
                        ids.add(record.value().getCommandId());
                    }
                });
            }
        }
        return ids;
    }
}
