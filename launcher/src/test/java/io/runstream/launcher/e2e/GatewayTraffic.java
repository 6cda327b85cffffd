package io.runstream.launcher.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntToDoubleFunction;

import org.xerial.snappy.Snappy;

import io.runstream.ingest.remotewrite.proto.RemoteWrite.Label;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.Sample;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.TimeSeries;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.WriteRequest;

/**
 * The inference gateway's {@code http_requests_total} as Prometheus scrapes it every 15 s and ships it by
 * remote_write (snappy-compressed protobuf) to the ingest connector: cumulative counters by status, 1,500
 * requests per scrape, a chosen share of them 5xx. Scrapes are stamped in the recent past, so the five-minute
 * windows of runbook 003 fill in seconds instead of minutes.
 */
final class GatewayTraffic {

    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(15);
    private static final double REQUESTS_PER_SCRAPE = 1500;

    private final URI remoteWrite;
    private final Instant firstScrape;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private double ok;
    private double failed;

    GatewayTraffic(URI remoteWrite, Instant firstScrape) {
        this.remoteWrite = remoteWrite;
        this.firstScrape = firstScrape;
    }

    Instant scrapeTime(int scrape) {
        return firstScrape.plus(SCRAPE_INTERVAL.multipliedBy(scrape));
    }

    /**
     * Sends scrapes {@code from..to} (inclusive), each with {@code errorShare(scrape)} of its requests failing,
     * one remote_write request per scrape as Prometheus ships them while it keeps up.
     */
    void send(int from, int to, IntToDoubleFunction errorShare) throws IOException, InterruptedException {
        for (int scrape = from; scrape <= to; scrape++) {
            double share = errorShare.applyAsDouble(scrape);
            ok += REQUESTS_PER_SCRAPE * (1 - share);
            failed += REQUESTS_PER_SCRAPE * share;
            long at = scrapeTime(scrape).toEpochMilli();
            post(WriteRequest.newBuilder()
                    .addTimeseries(series("200").addSamples(Sample.newBuilder().setValue(ok).setTimestamp(at)))
                    .addTimeseries(series("500").addSamples(Sample.newBuilder().setValue(failed).setTimestamp(at)))
                    .build());
        }
    }

    private void post(WriteRequest request) throws IOException, InterruptedException {
        byte[] body = Snappy.compress(request.toByteArray());
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(remoteWrite).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 204) {
            throw new IllegalStateException("remote_write refused: " + answer.statusCode() + " " + answer.body());
        }
    }

    private static TimeSeries.Builder series(String status) {
        return TimeSeries.newBuilder()
                .addLabels(label("__name__", "http_requests_total"))
                .addLabels(label("job", GatewayCluster.DEPLOYMENT))
                .addLabels(label("namespace", GatewayCluster.NAMESPACE))
                .addLabels(label("service", GatewayCluster.DEPLOYMENT))
                .addLabels(label("status", status));
    }

    private static Label label(String name, String value) {
        return Label.newBuilder().setName(name).setValue(value).build();
    }
}
