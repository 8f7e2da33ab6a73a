package io.liftoff.notification.channel;

import java.util.regex.Pattern;

/** A deliverable e-mail address: one mailbox, a domain with a dot, no display name, no spaces, no placeholder. */
public final class EmailAddresses {

    private static final Pattern ADDRESS = Pattern
            .compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");

    private EmailAddresses() {
    }

    public static boolean isValid(String address) {
        return address != null && address.length() <= 254 && ADDRESS.matcher(address).matches()
                && !address.contains("..");
    }
}
