package io.liftoff.notification.delivery;

/**
 * What one attempt gave: delivered; failed and worth retrying (timeouts, resets, 5xx, 429); or refused for good (the
 * receiver rejected the message, the address is forbidden, the channel is gone), which dead-letters at once.
 */
public record SendResult(Outcome outcome, Integer statusCode, String error) {

    public enum Outcome {
        DELIVERED, FAILED, REFUSED
    }

    public static SendResult delivered(int statusCode) {
        return new SendResult(Outcome.DELIVERED, statusCode, null);
    }

    public static SendResult failed(Integer statusCode, String error) {
        return new SendResult(Outcome.FAILED, statusCode, error);
    }

    public static SendResult refused(Integer statusCode, String error) {
        return new SendResult(Outcome.REFUSED, statusCode, error);
    }

    /** The outcome of an HTTP status: 2xx delivered; 408, 425, 429 and 5xx retried; anything else refused. */
    public static SendResult ofHttpStatus(int status) {
        if (status >= 200 && status < 300) {
            return delivered(status);
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return failed(status, "the receiver answered " + status);
        }
        if (status >= 300 && status < 400) {
            return refused(status, "the receiver answered with a redirect, which is not followed");
        }
        return refused(status, "the receiver refused the message with " + status);
    }
}
