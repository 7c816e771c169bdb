package io.slimjobs.config;

import java.math.BigDecimal;

import io.fabric8.kubernetes.api.model.Quantity;

/** Kubernetes resource quantities compared by amount: "0.5" = "500m", "500M" &lt; "512Mi", "0.5Gi" = "512Mi". */
public final class Quantities {

    private Quantities() {
    }

    /** The amount of a quantity, or an {@link IllegalArgumentException} that says why it is not one. */
    public static BigDecimal amount(String value) {
        BigDecimal amount;
        try {
            amount = Quantity.getAmountInBytes(Quantity.parse(value));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException('"' + value + "\" is not a Kubernetes quantity");
        }
        if (amount.signum() < 0) {
            throw new IllegalArgumentException('"' + value + "\" is negative");
        }
        return amount;
    }
}
