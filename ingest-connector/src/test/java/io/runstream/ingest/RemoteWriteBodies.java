package io.runstream.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.xerial.snappy.Snappy;

import io.runstream.ingest.remotewrite.proto.RemoteWrite.Label;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.MetricMetadata;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.Sample;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.TimeSeries;
import io.runstream.ingest.remotewrite.proto.RemoteWrite.WriteRequest;

/** Remote-write request bodies as Prometheus builds them: a snappy block of a WriteRequest. */
public final class RemoteWriteBodies {

    private RemoteWriteBodies() {
    }

    /** A series from alternating label names and values (include {@code __name__}) and one sample. */
    public static TimeSeries series(double value, long timestampMillis, String... labels) {
        TimeSeries.Builder series = TimeSeries.newBuilder();
        for (int i = 0; i < labels.length; i += 2) {
            series.addLabels(Label.newBuilder().setName(labels[i]).setValue(labels[i + 1]));
        }
        return series.addSamples(Sample.newBuilder().setValue(value).setTimestamp(timestampMillis)).build();
    }

    public static MetricMetadata metadata(String family, MetricMetadata.MetricType type) {
        return MetricMetadata.newBuilder().setMetricFamilyName(family).setType(type).build();
    }

    public static byte[] snappy(WriteRequest request) {
        return snappy(request.toByteArray());
    }

    public static byte[] snappy(byte[] bytes) {
        try {
            return Snappy.compress(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checkout service's request counter, latency histogram bucket and in-flight gauge at one instant. */
    public static WriteRequest checkoutScrape(long timestampMillis) {
        return WriteRequest.newBuilder()
                .addTimeseries(series(1027, timestampMillis, "__name__", "http_requests_total", "service", "checkout",
                        "namespace", "shop", "status", "500"))
                .addTimeseries(series(88, timestampMillis, "__name__", "http_request_duration_seconds_bucket",
                        "job", "checkout-api", "le", "0.5"))
                .addTimeseries(series(3, timestampMillis, "__name__", "http_requests_in_flight", "instance", "10.0.0.7:8080"))
                .build();
    }
}
