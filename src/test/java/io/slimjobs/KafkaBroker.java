package io.slimjobs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker for a test class: one combined KRaft controller and broker on loopback, Kafka's own test kit,
 * started before the class's first test and closed after its last. Topics have one partition, so that offsets tell
 * the order records were written in.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private KafkaClusterTestKit cluster;
    private Admin admin;
    private KafkaProducer<String, byte[]> producer;

    @Override
    public void beforeAll(ExtensionContext extension) throws Exception {
        cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumControllerNodes(1).setNumBrokerNodes(1).build())
                // a group of one consumer starts consuming at once, not after the default 3 s
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()));
        Properties producerProperties = new Properties();
        producerProperties.put("bootstrap.servers", bootstrapServers());
        producer = new KafkaProducer<>(producerProperties, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void afterAll(ExtensionContext extension) throws Exception {
        producer.close();
        admin.close();
        cluster.close();
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public void createTopics(String... topics) {
        try {
            admin.createTopics(Arrays.stream(topics).map(topic -> new NewTopic(topic, 1, (short) 1)).toList())
                    .all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a record and returns its offset once the broker has it. */
    public long send(ProducerRecord<String, byte[]> record) {
        try {
            return producer.send(record).get().offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code count} records of a topic, waiting for them as long as needed. */
    public List<ConsumerRecord<String, byte[]>> records(String topic, int count) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrapServers());
        try (var consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (records.size() < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for " + count + " records on " + topic + ", got "
                            + records.size());
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records.subList(0, count);
        }
    }

    /** How many records a topic holds. */
    public long size(String topic) {
        try {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get().offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The offset a consumer group committed on a topic: the next record it will read; 0 when none. */
    public long committed(String group, String topic) {
        try {
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(topic, 0));
            return committed == null ? 0 : committed.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record with a string key and value, and string headers. */
    public static ProducerRecord<String, byte[]> record(String topic, String key, String value,
                                                        Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8));
        headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        return record;
    }
}
