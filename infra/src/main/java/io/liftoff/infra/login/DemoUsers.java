package io.liftoff.infra.login;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The demo users of the local platform's realm ({@code infra/keycloak/liftoff-realm.json}). Demo only: their password
 * and TOTP secrets are public, in infra/README.md.
 */
public final class DemoUsers {

    public static final String PASSWORD = "liftoff-demo";

    /** Every demo person; {@code lockout-demo} exists only to be locked by the end-to-end tests. */
    public static final List<String> NAMES = List.of("riley", "eli", "emma", "sam", "quinn", "dana", "paula", "lee",
            "ada", "olga", "lockout-demo");

    private DemoUsers() {
    }

    /**
     * The {@code value} of the user's OTP credential in the realm file: 20 ASCII bytes. Keycloak keys the HMAC with
     * these raw bytes, so an authenticator is given their Base32 encoding ({@link #totpSecret}).
     */
    public static String otpCredentialValue(String username) {
        String value = "liftoff-demo-" + username;
        return value.length() >= 20 ? value.substring(0, 20) : value + "-".repeat(20 - value.length());
    }

    /** The Base32 TOTP secret to give an authenticator app (or {@link Totp}) for a demo user. */
    public static String totpSecret(String username) {
        return Totp.base32Encode(otpCredentialValue(username).getBytes(StandardCharsets.US_ASCII));
    }
}
