#!/usr/bin/env python3
"""Read Runstream topics written with schemas.format: confluent, through the schema registry, with Confluent's own
AvroConsumer (confluent_kafka.avro): each value is the byte 0, a 4-byte schema id, then Avro binary; the consumer
fetches the writer schema for the id from the registry (subject <topic>-value). Keys are plain UTF-8 strings.

Needs only Debian packages: sudo apt-get install python3-avro python3-confluent-kafka

    python3 examples/python/runstream_registry_consumer.py --bootstrap-servers 127.0.0.1:9092 \\
        --schema-registry http://127.0.0.1:8080/apis/ccompat/v7 runstream.incidents
"""
import argparse
import json
import sys

from confluent_kafka import KafkaError
from confluent_kafka.avro import AvroConsumer
from confluent_kafka.avro.serializer import SerializerError
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer


class StringKeys(MessageSerializer):
    """Confluent's decoding for values; keys as the plain UTF-8 strings Runstream writes (as Kafka Connect's
    StringConverter reads them). AvroConsumer 1.7 would otherwise try to decode keys as Avro too."""

    def decode_message(self, message, is_key=False):
        if is_key:
            return None if message is None else message.decode("utf-8")
        return super().decode_message(message, is_key)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topics", nargs="+", help="full topic names, e.g. runstream.incidents")
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--schema-registry", required=True,
                        help="the registry's Confluent API, e.g. http://127.0.0.1:8080/apis/ccompat/v7")
    parser.add_argument("--max-records", type=int, default=0, help="stop after this many (0: run until Ctrl-C)")
    parser.add_argument("--timeout", type=float, default=0, help="stop after this many idle seconds (0: never)")
    args = parser.parse_args()

    consumer = AvroConsumer({
        "bootstrap.servers": args.bootstrap_servers,
        "schema.registry.url": args.schema_registry,
        "group.id": "runstream-python-registry-example",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        # exactly_once_v2 output: see only committed transactions, as Runstream's own readers do
        "isolation.level": "read_committed",
    })
    consumer._serializer = StringKeys(consumer._serializer.registry_client)
    consumer.subscribe(args.topics)
    seen = 0
    idle = 0.0
    try:
        while args.max_records == 0 or seen < args.max_records:
            try:
                message = consumer.poll(1.0)
            except SerializerError as error:
                # not Confluent framing (e.g. single-object encoded by a producer not yet moved), or an unknown id
                print(json.dumps({"error": str(error)}), flush=True)
                seen += 1
                continue
            if message is None:
                idle += 1.0
                if args.timeout and idle >= args.timeout:
                    break
                continue
            idle = 0.0
            if message.error():
                if message.error().code() != KafkaError._PARTITION_EOF:
                    print(f"kafka error: {message.error()}", file=sys.stderr)
                continue
            print(json.dumps({"topic": message.topic(), "partition": message.partition(),
                              "offset": message.offset(), "key": message.key(), "value": message.value()},
                             default=str),
                  flush=True)
            seen += 1
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
