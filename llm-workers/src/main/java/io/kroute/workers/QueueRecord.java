package io.kroute.workers;

/** A record read from a queue topic, reduced to what processing needs (so tests need no Kafka types). */
public record QueueRecord(String topic, int partition, long offset, String key, byte[] value) {}
