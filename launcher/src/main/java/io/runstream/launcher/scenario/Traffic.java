package io.runstream.launcher.scenario;

import java.time.Instant;
import java.util.List;

/** One scrape of a service's metrics at an event time: what Prometheus would remote-write. */
@FunctionalInterface
public interface Traffic {

    List<IngestClient.Point> scrape(Instant at);
}
