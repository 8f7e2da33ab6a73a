package io.liftoff.checklist.markdown;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Hands out the keys and ids of one document, in document order, so that the same document always gets the same
 * keys and ids.
 * <ul>
 * <li>A key already taken gets the first free suffix {@code -2}, {@code -3}, ... (section keys and item keys are
 * separate name spaces).</li>
 * <li>An item id is the first {@value #ID_LENGTH} lower-case hex characters of the SHA-256 of its key; when an
 * earlier item of the document already has that id, the id is extended one character at a time until it is
 * free.</li>
 * </ul>
 */
final class Identifiers {

    static final int ID_LENGTH = 12;

    private final int idLength;
    private final MessageDigest sha256;
    private final Set<String> sectionKeys = new HashSet<>();
    private final Set<String> itemKeys = new HashSet<>();
    private final Map<String, Integer> nextSuffix = new HashMap<>();
    private final Set<String> ids = new HashSet<>();

    Identifiers() {
        this(ID_LENGTH);
    }

    /** With a shorter id length, so that tests can provoke id collisions. */
    Identifiers(int idLength) {
        this.idLength = idLength;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }

    String sectionKey(String base) {
        return unique(base, sectionKeys, "s:");
    }

    String itemKey(String base) {
        return unique(base, itemKeys, "i:");
    }

    String itemId(String key) {
        String hex = HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
        for (int length = idLength; length <= hex.length(); length++) {
            String id = hex.substring(0, length);
            if (ids.add(id)) {
                return id;
            }
        }
        // Only reachable when two different keys have the same SHA-256.
        return unique(hex, ids, "id:");
    }

    private String unique(String base, Set<String> taken, String namespace) {
        if (taken.add(base)) {
            return base;
        }
        int n = nextSuffix.getOrDefault(namespace + base, 2);
        while (!taken.add(base + "-" + n)) {
            n++;
        }
        nextSuffix.put(namespace + base, n + 1);
        return base + "-" + n;
    }
}
