package io.liftoff.signoff.config;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * signoff-service settings.
 *
 * @param mfaMaxAge        how old an authentication may be when signing (RFC 9470 {@code max_age})
 * @param requiredAcr      the authentication level signing needs (2 = password + TOTP)
 * @param products         per-product policy; a product not listed gets the defaults
 * @param keyMaxAge        a signing key older than this is rotated on its next use (old keys stay published)
 * @param exportMaxEntries the most entries one audit bundle holds
 * @param recoveryInterval how often sign-offs recorded but not yet logged (a crash in between) are appended
 * @param auditInterval    how often the whole stored log is re-hashed in the background
 */
@ConfigurationProperties("liftoff.signoff")
public record SignoffProperties(@DefaultValue("300s") Duration mfaMaxAge, @DefaultValue("2") int requiredAcr,
        @DefaultValue Map<String, ProductPolicy> products, @DefaultValue("P90D") Duration keyMaxAge,
        @DefaultValue("10000") int exportMaxEntries, @DefaultValue("30s") Duration recoveryInterval,
        @DefaultValue("1h") Duration auditInterval) {

    /**
     * @param creatorMayApprovePreRelease let the person who created a release approve its pre-release gate
     *                                    (separation of duties is on by default)
     */
    public record ProductPolicy(@DefaultValue("false") boolean creatorMayApprovePreRelease) {
    }

    public boolean creatorMayApprovePreRelease(String product) {
        ProductPolicy policy = products.get(product);
        return policy != null && policy.creatorMayApprovePreRelease();
    }
}
