package io.slimjobs.events;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.slimjobs.config.Definitions;
import io.slimjobs.config.JobDefinition;
import io.slimjobs.error.InvalidRequestException;
import io.slimjobs.trigger.Door;
import io.slimjobs.trigger.IdempotencyKey;
import io.slimjobs.trigger.TriggerHeaders;
import io.slimjobs.trigger.TriggerRequest;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Reads a Kafka record as a trigger. The job is the one whose KafkaTopic the record is on; on the shared topic, the
 * one the `slimjobs-job` header names, else the record key. The value is a CloudEvent (structured or binary, per the
 * CloudEvents Kafka binding) or a trigger body. Writers of the topics are trusted: topic ACLs decide who writes.
 */
public final class KafkaRecordReader {

    private static final String CONTENT_TYPE_HEADER = "content-type";
    private static final String BINARY_PREFIX = "ce_";

    private final Definitions definitions;
    private final String sharedTopic;

    public KafkaRecordReader(Definitions definitions, String sharedTopic) {
        this.definitions = definitions;
        this.sharedTopic = sharedTopic;
    }

    /** The trigger this record asks for; leaves the message as it came, for the dead-letter topic. */
    public TriggerRequest read(Message record) {
        Map<String, Object> headers = record.getHeaders();
        String topic = record.getHeader(KafkaConstants.TOPIC, String.class);
        String jobName = jobName(topic, record);
        byte[] value = record.getBody(byte[].class);
        String contentType = text(record.getHeader(CONTENT_TYPE_HEADER));
        CloudEvent event = null;
        if (CloudEvents.isStructured(contentType)) {
            event = CloudEvents.readStructured(value == null ? new byte[0] : value);
        } else if (CloudEvents.isBinary(headers, BINARY_PREFIX)) {
            event = CloudEvents.readBinary(headers, BINARY_PREFIX, contentType, value);
        }
        String key = IdempotencyKey.checked(text(record.getHeader(TriggerHeaders.IDEMPOTENCY_KEY)));
        if (key == null) {
            // a record is its own identity: redelivered, it is the same execution
            key = event != null ? CloudEvents.idempotencyKey(event) : "kafka " + topic + "/"
                    + record.getHeader(KafkaConstants.PARTITION) + "/" + record.getHeader(KafkaConstants.OFFSET);
        }
        if (event != null) {
            return new TriggerRequest(jobName, "", null, true, key, event, null, Door.KAFKA);
        }
        String body = value == null ? "" : new String(value, StandardCharsets.UTF_8);
        return new TriggerRequest(jobName, body, contentType, true, key, Door.KAFKA);
    }

    private String jobName(String topic, Message record) {
        for (Map.Entry<String, JobDefinition> definition : definitions.forRequest().definitions().entrySet()) {
            if (topic.equals(definition.getValue().kafkaTopic())) {
                return definition.getKey();
            }
        }
        if (!topic.equals(sharedTopic)) {
            // the definition changed while the consumer still followed the old topics
            throw new InvalidRequestException("no job has the KafkaTopic '" + topic + "' (any more), and records on "
                    + "it are not on the shared topic '" + sharedTopic + "'");
        }
        String named = text(record.getHeader(TriggerHeaders.JOB));
        if (named == null) {
            named = text(record.getHeader(KafkaConstants.KEY));
        }
        if (named == null) {
            throw new InvalidRequestException("the record names no job: set the header " + TriggerHeaders.JOB
                    + " or the record key to the job name");
        }
        return named;
    }

    /** A header's value as text; a blank one is none. */
    private static String text(Object value) {
        String text = value == null ? null : CloudEvents.text(value);
        return text == null || text.isBlank() ? null : text.trim();
    }
}
