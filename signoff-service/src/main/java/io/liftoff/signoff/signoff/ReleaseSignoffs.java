package io.liftoff.signoff.signoff;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.liftoff.common.outbox.Outbox;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The sign-offs of one release: one document, so that "at most one current sign-off per role" and "one role per
 * person" are decided by a single-document compare-and-set on {@code version} (the embedded store has no
 * transactions), and the events announcing a change ride in the same write ({@code outbox}). Entries are only ever
 * appended.
 */
@Document("release_signoffs")
public class ReleaseSignoffs {

    @Id
    private String releaseId;
    private String product;
    private List<SignoffRecord> entries = new ArrayList<>();
    private Outbox outbox = new Outbox();
    @Version
    private Long version;

    public ReleaseSignoffs() {
    }

    ReleaseSignoffs(String releaseId, String product) {
        this.releaseId = releaseId;
        this.product = product;
    }

    public String getReleaseId() {
        return releaseId;
    }

    public String getProduct() {
        return product;
    }

    public List<SignoffRecord> getEntries() {
        return entries;
    }

    public Outbox getOutbox() {
        return outbox;
    }

    public Long getVersion() {
        return version;
    }

    void append(SignoffRecord record) {
        entries.add(record);
    }

    Optional<SignoffRecord> byIdempotencyKey(String signer, String key) {
        return entries.stream().filter(e -> key.equals(e.idempotencyKey()) && signer.equals(e.signer())).findFirst();
    }

    Optional<SignoffRecord> byId(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    boolean isRevoked(SignoffRecord signoff) {
        return entries.stream().anyMatch(e -> e.isRevocation() && signoff.id().equals(e.revokes()));
    }

    /** The role's sign-off that is neither revoked nor superseded: the latest non-revoked one. */
    Optional<SignoffRecord> latestFor(String role) {
        SignoffRecord latest = null;
        for (SignoffRecord entry : entries) {
            if (!entry.isRevocation() && entry.role().equals(role) && !isRevoked(entry)) {
                latest = entry;
            }
        }
        return Optional.ofNullable(latest);
    }

    /** Roles the person holds an unrevoked sign-off for on this release. */
    List<String> rolesSignedBy(String signer) {
        return entries.stream().filter(e -> !e.isRevocation() && e.signer().equals(signer) && !isRevoked(e))
                .map(SignoffRecord::role).distinct().toList();
    }

    List<SignoffRecord> unlogged() {
        return entries.stream().filter(e -> e.logIndex() == null).toList();
    }

    public void setReleaseId(String releaseId) {
        this.releaseId = releaseId;
    }

    public void setProduct(String product) {
        this.product = product;
    }

    public void setEntries(List<SignoffRecord> entries) {
        this.entries = entries == null ? new ArrayList<>() : new ArrayList<>(entries);
    }

    public void setOutbox(Outbox outbox) {
        this.outbox = outbox == null ? new Outbox() : outbox;
    }

    public void setVersion(Long version) {
        this.version = version;
    }
}
