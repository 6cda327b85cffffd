#!/usr/bin/env python3
"""Read Runstream topics from Python: Avro single-object encoding decoded with the Apache Avro library.

Runstream writes every value as: the two bytes C3 01, the 8-byte little-endian CRC-64-AVRO (Rabin)
fingerprint of the writer's schema, then the Avro binary body. The writer's schemas are the files
schemas/src/main/resources/schema-history/<Record>/vN.avsc; this script fingerprints all of them and
decodes each record with the one its header names (so old and new versions both decode).

Needs only Debian packages: sudo apt-get install python3-avro python3-confluent-kafka

    python3 examples/python/runstream_consumer.py --bootstrap-servers 127.0.0.1:9092 runstream.incidents
"""
import argparse
import io
import json
import pathlib
import struct
import sys

import avro.io
import avro.schema
from confluent_kafka import Consumer

MAGIC = b"\xc3\x01"
HEADER_LENGTH = 10
EMPTY = 0xC15D213AA4D7A795


def _rabin_table():
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (EMPTY & -(fp & 1))
        table.append(fp)
    return table


TABLE = _rabin_table()


def fingerprint(canonical_form: str) -> int:
    """CRC-64-AVRO of a schema's parsing canonical form, as the Avro specification defines it."""
    fp = EMPTY
    for byte in canonical_form.encode("utf-8"):
        fp = (fp >> 8) ^ TABLE[(fp ^ byte) & 0xFF]
    return fp


PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}
KEPT = ("name", "type", "fields", "symbols", "items", "values", "size")


def canonical_form(schema, namespace=None, named=None) -> str:
    """The specification's Parsing Canonical Form (python3-avro 1.11's own canonical_form differs from it)."""
    named = set() if named is None else named
    if isinstance(schema, str):
        if schema in PRIMITIVES:
            return json.dumps(schema)
        return json.dumps(schema if "." in schema or not namespace else f"{namespace}.{schema}")
    if isinstance(schema, list):
        return "[" + ",".join(canonical_form(branch, namespace, named) for branch in schema) + "]"
    kind = schema["type"]
    if kind in PRIMITIVES:  # {"type": "string", "logicalType": ...} is just "string"
        return json.dumps(kind)
    parts = []
    if "name" in schema:
        name = schema["name"]
        space = schema.get("namespace", namespace)
        full = name if "." in name or not space else f"{space}.{name}"
        namespace = full.rpartition(".")[0] or None
        if full in named:
            return json.dumps(full)
        named.add(full)
        parts.append('"name":' + json.dumps(full))
    for key in KEPT[1:]:
        if key not in schema:
            continue
        value = schema[key]
        if key == "type":
            text = canonical_form(value, namespace, named) if not isinstance(value, str) or value not in (
                "record", "enum", "array", "map", "fixed", "error") else json.dumps(value)
        elif key == "fields":
            text = "[" + ",".join('{"name":' + json.dumps(field["name"]) + ',"type":'
                                  + canonical_form(field["type"], namespace, named) + "}" for field in value) + "]"
        elif key == "symbols":
            text = "[" + ",".join(json.dumps(symbol) for symbol in value) + "]"
        elif key in ("items", "values"):
            text = canonical_form(value, namespace, named)
        else:
            text = str(int(value))
        parts.append(json.dumps(key) + ":" + text)
    return "{" + ",".join(parts) + "}"


def load_schemas(history: pathlib.Path) -> dict:
    schemas = {}
    for path in sorted(history.glob("*/v*.avsc")):
        text = path.read_text(encoding="utf-8")
        schemas[fingerprint(canonical_form(json.loads(text)))] = (avro.schema.parse(text),
                                                                  f"{path.parent.name}/{path.stem}")
    return schemas


def decode(value: bytes, schemas: dict):
    if len(value) < HEADER_LENGTH or value[:2] != MAGIC:
        raise ValueError("not Avro single-object encoding (no C3 01 header)")
    (writer_fingerprint,) = struct.unpack("<Q", value[2:HEADER_LENGTH])
    if writer_fingerprint not in schemas:
        raise ValueError(f"unknown writer schema fingerprint {writer_fingerprint:016x}")
    schema, name = schemas[writer_fingerprint]
    reader = avro.io.DatumReader(schema)
    return name, reader.read(avro.io.BinaryDecoder(io.BytesIO(value[HEADER_LENGTH:])))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topics", nargs="*", help="full topic names, e.g. runstream.incidents")
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--schemas", type=pathlib.Path,
                        default=pathlib.Path(__file__).resolve().parents[2]
                        / "schemas/src/main/resources/schema-history")
    parser.add_argument("--max-records", type=int, default=0, help="stop after this many (0: run until Ctrl-C)")
    parser.add_argument("--timeout", type=float, default=0, help="stop after this many idle seconds (0: never)")
    parser.add_argument("--print-fingerprints", action="store_true",
                        help="print each known schema version's fingerprint as JSON and exit")
    args = parser.parse_args()

    schemas = load_schemas(args.schemas)
    if args.print_fingerprints:
        print(json.dumps({name: f"{fp:016x}" for fp, (_, name) in schemas.items()}, sort_keys=True))
        return 0
    if not args.topics:
        parser.error("name at least one topic")
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap_servers,
        "group.id": "runstream-python-example",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        # exactly_once_v2 output: see only committed transactions, as Runstream's own readers do
        "isolation.level": "read_committed",
    })
    consumer.subscribe(args.topics)
    seen = 0
    idle = 0.0
    try:
        while args.max_records == 0 or seen < args.max_records:
            message = consumer.poll(1.0)
            if message is None:
                idle += 1.0
                if args.timeout and idle >= args.timeout:
                    break
                continue
            idle = 0.0
            if message.error():
                print(f"kafka error: {message.error()}", file=sys.stderr)
                continue
            key = message.key().decode("utf-8") if message.key() else None
            try:
                schema_name, value = decode(message.value(), schemas)
                line = {"topic": message.topic(), "partition": message.partition(), "offset": message.offset(),
                        "key": key, "schema": schema_name, "value": value}
            except ValueError as error:
                line = {"topic": message.topic(), "partition": message.partition(), "offset": message.offset(),
                        "key": key, "error": str(error)}
            print(json.dumps(line, default=str), flush=True)
            seen += 1
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
