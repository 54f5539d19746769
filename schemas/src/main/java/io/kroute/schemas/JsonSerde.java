package io.kroute.schemas;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde over a {@link MessageCodec}. Deserializing validates: a consumer that must not stop on a bad record
 * reads bytes and calls {@link MessageCodec#decode} itself, so that it can dead-letter the record.
 */
public final class JsonSerde<T> implements Serde<T> {

    private final MessageCodec<T> codec;

    public JsonSerde(MessageCodec<T> codec) {
        this.codec = codec;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, message) -> message == null ? null : codec.encode(message);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : codec.decode(bytes);
    }
}
