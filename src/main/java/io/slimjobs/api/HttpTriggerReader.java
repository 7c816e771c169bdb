package io.slimjobs.api;

import io.cloudevents.CloudEvent;
import io.slimjobs.events.CloudEvents;
import io.slimjobs.trigger.Door;
import io.slimjobs.trigger.IdempotencyKey;
import io.slimjobs.trigger.TriggerHeaders;
import io.slimjobs.trigger.TriggerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;

/**
 * Reads `POST /job/{name}` into a TriggerRequest. The body is overrides, unless the request is a CloudEvent: structured
 * (`Content-Type: application/cloudevents+json`) or binary (`ce-*` headers, the body as its data, of any content
 * type). An event is the execution's input, so the definition runs as configured.
 */
public final class HttpTriggerReader {

    /** The HTTP binding's prefix of binary-mode attributes. */
    private static final String CE_PREFIX = "ce-";
    /** Where the caller wants the execution's end announced (allowed hosts only). */
    private static final String CALLBACK_URL_HEADER = "X-Callback-Url";

    public TriggerRequest read(Message message, @ExchangeProperty(JobsApi.TRUSTED_CALLER) boolean trusted) {
        String name = message.getHeader("name", String.class);
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        String key = IdempotencyKey.checked(message.getHeader(TriggerHeaders.IDEMPOTENCY_KEY, String.class));
        CloudEvent event = CloudEvents.isStructured(contentType) ? CloudEvents.readStructured(bytes(message))
                : CloudEvents.isBinary(message.getHeaders(), CE_PREFIX)
                ? CloudEvents.readBinary(message.getHeaders(), CE_PREFIX, contentType, bytes(message))
                : null;
        String callbackUrl = message.getHeader(CALLBACK_URL_HEADER, String.class);
        if (event == null) {
            return new TriggerRequest(name, message.getBody(String.class), contentType, trusted, key, null,
                    callbackUrl, Door.HTTP);
        }
        return new TriggerRequest(name, "", contentType, trusted,
                key != null ? key : CloudEvents.idempotencyKey(event), event, callbackUrl, Door.HTTP);
    }

    private static byte[] bytes(Message message) {
        byte[] body = message.getBody(byte[].class);
        return body == null ? new byte[0] : body;
    }
}
