package io.liftoff.notification.channel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.liftoff.notification.config.NotificationProperties;

import org.springframework.stereotype.Component;

/**
 * Server-side request forgery guard for webhook and Slack URLs: {@code http(s)} only, no user info, and the host must
 * resolve only to public addresses: no loopback, link-local (which holds the cloud metadata address
 * 169.254.169.254), private, carrier-grade NAT, unique-local, multicast or unspecified addresses, and no well-known
 * metadata host names. Hosts, addresses or CIDR ranges listed in {@code liftoff.notification.addresses.allowed-hosts}
 * are let through (tests, the local platform's demo receiver); an entry with a port ({@code 127.0.0.1:8085},
 * {@code [::1]:8085}) lets through that port only, so the demo receiver can be allowed without opening the other
 * services on the same host. Checked when a channel is configured and again before every send, since DNS answers
 * change; the sender never follows redirects.
 */
@Component
public class AddressPolicy {

    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata",
            "instance-data", "instance-data.ec2.internal");

    /** An allow-list entry: a host name, an address or a CIDR range, and the only port allowed (-1: any). */
    private record Allowed(String host, int port) {

        static Allowed parse(String entry) {
            String e = entry.strip().toLowerCase(Locale.ROOT);
            int colon = e.lastIndexOf(':');
            boolean bracketed = e.startsWith("[");
            // A port follows "]" of an IPv6 literal, or the only colon of a host name or IPv4 address.
            if (colon > 0 && (bracketed ? e.charAt(colon - 1) == ']' : e.indexOf(':') == colon)) {
                String host = e.substring(bracketed ? 1 : 0, bracketed ? colon - 1 : colon);
                return new Allowed(host, Integer.parseInt(e.substring(colon + 1)));
            }
            return new Allowed(bracketed && e.endsWith("]") ? e.substring(1, e.length() - 1) : e, -1);
        }

        boolean allowsPort(int candidate) {
            return port < 0 || port == candidate;
        }
    }

    private final List<Allowed> allowed;

    /**
     * @throws IllegalArgumentException when an entry's port is not a number (the service does not start with it)
     */
    public AddressPolicy(NotificationProperties properties) {
        this.allowed = properties.addresses().allowedHosts().stream().filter(h -> !h.isBlank()).map(h -> {
            try {
                return Allowed.parse(h);
            }
            catch (NumberFormatException ex) {
                throw new IllegalArgumentException("liftoff.notification.addresses.allowed-hosts: '" + h
                        + "' is neither a host, an address, a CIDR range nor one of them with a port", ex);
            }
        }).toList();
    }

    /** Why the URL may not be called, or null when it may. */
    public String refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        }
        catch (URISyntaxException ex) {
            return "not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "only http and https URLs are allowed";
        }
        if (uri.getRawUserInfo() != null) {
            return "credentials in the URL are not allowed";
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            return "the URL has no host";
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (isAllowed(host, port, null)) {
            return null;
        }
        if (METADATA_HOSTS.contains(host)) {
            return "cloud metadata hosts are not allowed";
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        }
        catch (UnknownHostException ex) {
            return "the host cannot be resolved";
        }
        for (InetAddress address : addresses) {
            if (isAllowed(host, port, address)) {
                continue;
            }
            String why = forbidden(address);
            if (why != null) {
                return "the host resolves to " + why + " address " + address.getHostAddress();
            }
        }
        return null;
    }

    private boolean isAllowed(String host, int port, InetAddress address) {
        for (Allowed entry : allowed) {
            if (!entry.allowsPort(port)) {
                continue;
            }
            if (entry.host().equals(host)) {
                return true;
            }
            if (address != null && (sameAddress(entry.host(), address) || inCidr(entry.host(), address))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the entry is a literal address equal to this one ({@code ::1} and {@code 0:0:0:0:0:0:0:1} alike). */
    private static boolean sameAddress(String entry, InetAddress address) {
        if (entry.equals(address.getHostAddress())) {
            return true;
        }
        boolean literal = entry.contains(":") || entry.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        try {
            return literal && InetAddress.getByName(entry).equals(address);
        }
        catch (UnknownHostException ex) {
            return false;
        }
    }

    static String forbidden(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            boolean mappedV4 = true;
            for (int i = 0; i < 10; i++) {
                mappedV4 &= b[i] == 0;
            }
            mappedV4 &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            if (mappedV4) {
                try {
                    return forbidden(InetAddress.getByAddress(new byte[] { b[12], b[13], b[14], b[15] }));
                }
                catch (UnknownHostException ex) {
                    return "an invalid";
                }
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "a unique-local";
            }
        }
        if (address.isLoopbackAddress()) {
            return "a loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "an unspecified";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local (cloud metadata)";
        }
        if (address.isSiteLocalAddress()) {
            return "a private";
        }
        if (address.isMulticastAddress()) {
            return "a multicast";
        }
        if (address instanceof Inet4Address) {
            byte[] b = address.getAddress();
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "a reserved";
            }
            if (first == 100 && second >= 64 && second <= 127) {
                return "a carrier-grade NAT";
            }
            if (first == 168 && second == 63 && (b[2] & 0xff) == 129 && (b[3] & 0xff) == 16) {
                return "a cloud metadata";
            }
            if (first >= 240) {
                return "a reserved";
            }
        }
        return null;
    }

    private static boolean inCidr(String cidr, InetAddress address) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return false;
        }
        try {
            byte[] network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            byte[] candidate = address.getAddress();
            if (network.length != candidate.length) {
                return false;
            }
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((network[i] & mask) != (candidate[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
        catch (UnknownHostException | NumberFormatException ex) {
            return false;
        }
    }
}
