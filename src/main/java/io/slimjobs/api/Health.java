package io.slimjobs.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The answer of `/health` and `/ready`: `UP` or `DOWN`, a `message` saying what is wrong (left out when nothing is),
 * and, from `/ready` only, whether this replica is the leader. The lower-case names are those of Camel's own health
 * answers, which probes and dashboards already read.
 */
@JsonPropertyOrder({"status", "message", "Leader"})
public record Health(@JsonProperty("status") String status, @JsonProperty("message") String message,
                     @JsonProperty("Leader") Boolean leader) {

    public boolean up() {
        return "UP".equals(status);
    }
}
