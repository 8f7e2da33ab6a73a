package io.liftoff.signoff.canonical;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.liftoff.signoff.checklist.ReleaseView;

/**
 * The digest a sign-off binds (the contract defines it): SHA-256, lower-case hex, of the RFC 8785 JSON
 * {@code {"items":[{"key","state","text"}...],"phase","releaseId"}} over the phase's items (SIGNOFF items and their
 * attestations excluded), sorted by key.
 */
public final class PhaseDigest {

    private PhaseDigest() {
    }

    public static String of(ReleaseView release, String phase) {
        return sha256Hex(canonical(release, phase));
    }

    public static byte[] canonical(ReleaseView release, String phase) {
        List<ReleaseView.ItemView> items = new ArrayList<>(release.phaseItems(phase));
        items.sort(Comparator.comparing(ReleaseView.ItemView::key));
        List<Map<String, Object>> state = new ArrayList<>();
        for (ReleaseView.ItemView item : items) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", item.key());
            entry.put("state", item.state());
            entry.put("text", item.text());
            state.add(entry);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("items", state);
        document.put("phase", phase);
        document.put("releaseId", release.id());
        return Jcs.canonicalize(document);
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
