package io.liftoff.signoff.signoff;

/** The token is valid but not a fresh second-factor authentication: 401 with an RFC 9470 challenge. */
public class StepUpRequired extends RuntimeException {

    private final long maxAge;

    StepUpRequired(String detail, long maxAge) {
        super(detail);
        this.maxAge = maxAge;
    }

    public long maxAge() {
        return maxAge;
    }
}
