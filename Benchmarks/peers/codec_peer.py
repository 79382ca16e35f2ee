"""Peer for CodecBenchmarks.swift: Heka message protobuf encode/decode with the PyPI `protobuf`
package (pip install protobuf). The Heka message.proto schema is built at run time as a descriptor
(no protoc), and the message is the same DockerLog-like one the Swift benchmark uses."""
import sys
import uuid

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.internal import api_implementation

import peer_harness

FD = descriptor_pb2.FieldDescriptorProto


def heka_message_class():
    file = descriptor_pb2.FileDescriptorProto(name="heka_message.proto", package="message", syntax="proto2")

    def add_field(msg, name, number, kind, label=FD.LABEL_OPTIONAL, type_name=None, packed=False):
        f = msg.field.add(name=name, number=number, type=kind, label=label)
        if type_name:
            f.type_name = type_name
        if packed:
            f.options.packed = True

    field = file.message_type.add(name="Field")
    value_type = field.enum_type.add(name="ValueType")
    for number, name in enumerate(["STRING", "BYTES", "INTEGER", "DOUBLE", "BOOL"]):
        value_type.value.add(name=name, number=number)
    add_field(field, "name", 1, FD.TYPE_STRING, FD.LABEL_REQUIRED)
    add_field(field, "value_type", 2, FD.TYPE_ENUM, type_name=".message.Field.ValueType")
    add_field(field, "representation", 3, FD.TYPE_STRING)
    add_field(field, "value_string", 4, FD.TYPE_STRING, FD.LABEL_REPEATED)
    add_field(field, "value_bytes", 5, FD.TYPE_BYTES, FD.LABEL_REPEATED)
    add_field(field, "value_integer", 6, FD.TYPE_INT64, FD.LABEL_REPEATED, packed=True)
    add_field(field, "value_double", 7, FD.TYPE_DOUBLE, FD.LABEL_REPEATED, packed=True)
    add_field(field, "value_bool", 8, FD.TYPE_BOOL, FD.LABEL_REPEATED, packed=True)

    message = file.message_type.add(name="Message")
    add_field(message, "uuid", 1, FD.TYPE_BYTES, FD.LABEL_REQUIRED)
    add_field(message, "timestamp", 2, FD.TYPE_INT64, FD.LABEL_REQUIRED)
    for number, name in [(3, "type"), (4, "logger")]:
        add_field(message, name, number, FD.TYPE_STRING)
    add_field(message, "severity", 5, FD.TYPE_INT32)
    for number, name in [(6, "payload"), (7, "env_version")]:
        add_field(message, name, number, FD.TYPE_STRING)
    add_field(message, "pid", 8, FD.TYPE_INT32)
    add_field(message, "hostname", 9, FD.TYPE_STRING)
    add_field(message, "fields", 10, FD.TYPE_MESSAGE, FD.LABEL_REPEATED, type_name=".message.Field")

    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    descriptor = pool.FindMessageTypeByName("message.Message")
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def docker_log_message(cls):
    m = cls()
    m.uuid = uuid.UUID("6f1c3a52-8e0b-4d7a-9c21-5b3e7f0a1d44").bytes
    m.timestamp = 1714564800123456789
    m.type = "DockerLog"
    m.logger = "stdout"
    m.severity = 6
    m.payload = ("2024-05-01T12:00:00.123Z INFO  [http-nio-8080-exec-7] c.e.orders.OrderController - "
                 "GET /api/orders/12345 200 14ms user=alice trace=5f2b9c1d7a3e4b60")
    m.pid = 4711
    m.hostname = "mesos-agent-17.example.internal"

    def field(name, value_type, representation=None):
        f = m.fields.add(name=name, value_type=value_type)
        if representation is not None:
            f.representation = representation
        return f

    for name, value in [("ContainerID", "4f2a9c1be7d3"),
                        ("ContainerName", "mesos-8f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"),
                        ("ContainerImage", "registry.example.internal/shop/orders:1.42.0"),
                        ("MARATHON_APP_ID", "/shop/orders"),
                        ("MESOS_TASK_ID", "shop_orders.7d3e2f1a-0b9c-11ef-8a7b-0242ac110002")]:
        field(name, 0).value_string.append(value)
    field("http_status", 2).value_integer.append(200)
    field("bytes_sent", 2, "B").value_integer.append(18432)
    field("duration", 3, "ms").value_double.append(14.25)
    field("tty", 4).value_bool.append(False)
    field("stream", 0).value_string.append("stdout")
    return m


def main():
    cls = heka_message_class()
    message = docker_log_message(cls)
    data = message.SerializeToString()
    print(f"codec_peer: protobuf {api_implementation.Type()} backend, message {len(data)} bytes", file=sys.stderr)

    def encode(n):
        total = 0
        for _ in range(n):
            total += len(message.SerializeToString())
        return total

    def decode(n):
        total = 0
        from_string = cls.FromString
        for _ in range(n):
            total += len(from_string(data).fields)
        return total

    peer_harness.run("protobuf", "codec.encode_10_fields", encode, len(data))
    peer_harness.run("protobuf", "codec.decode_10_fields", decode, len(data))


if __name__ == "__main__":
    main()
