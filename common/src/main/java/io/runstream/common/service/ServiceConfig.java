package io.runstream.common.service;

import io.runstream.common.http.HttpSettings;
import io.runstream.common.kafka.KafkaSettings;

/**
 * What every service's configuration record has: its Kafka and its HTTP listener, and copies with either replaced.
 * Lets a host of several services (the launcher's stack) point each at its broker and ports in one way.
 *
 * @param <C> the record itself
 */
public interface ServiceConfig<C extends ServiceConfig<C>> {

    KafkaSettings kafka();

    HttpSettings http();

    C withKafka(KafkaSettings kafka);

    C withHttp(HttpSettings http);
}
