package dev.freight.webhook;

/**
 * How one delivery attempt ended, as the Standard Webhooks specification reads the answer ("Delivery success and
 * failure"): a 2xx is success; "410 Gone ... should disable the webhook endpoint"; any other status (redirects
 * included: they are not followed), a timeout or a broken connection is a failure to retry.
 *
 * @param detail the status or the error, for the dead-letter list (never the body)
 */
public record DeliveryOutcome(Kind kind, String detail) {

    public enum Kind { DELIVERED, GONE, FAILED }

    public static DeliveryOutcome ofStatus(int status) {
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome(Kind.DELIVERED, "HTTP " + status);
        }
        return new DeliveryOutcome(status == 410 ? Kind.GONE : Kind.FAILED, "HTTP " + status);
    }

    public static DeliveryOutcome noAnswer(String why) {
        return new DeliveryOutcome(Kind.FAILED, why);
    }

    public boolean delivered() {
        return kind == Kind.DELIVERED;
    }
}
