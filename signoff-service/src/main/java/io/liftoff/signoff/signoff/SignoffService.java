package io.liftoff.signoff.signoff;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.liftoff.common.outbox.OutboxEvent;
import io.liftoff.common.outbox.OutboxRelay;
import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.signoff.canonical.Jcs;
import io.liftoff.signoff.canonical.PhaseDigest;
import io.liftoff.signoff.checklist.ReleaseReader;
import io.liftoff.signoff.checklist.ReleaseView;
import io.liftoff.signoff.config.SignoffProperties;
import io.liftoff.signoff.history.HistoryIndex;
import io.liftoff.signoff.log.LogEntryRecord;
import io.liftoff.signoff.log.MerkleTree;
import io.liftoff.signoff.log.SignoffLog;
import io.liftoff.signoff.signing.SigningKeys;
import io.liftoff.signoff.verify.LeafVerifier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Signing, revoking and gates. Every write is a compare-and-set of the release's {@link ReleaseSignoffs} document,
 * re-validated on each attempt, so two concurrent submissions for one role record exactly one. The signed statement
 * then goes into the log; a crash in between is repaired by {@link #logPending()}.
 */
@Service
public class SignoffService {

    private static final Logger log = LoggerFactory.getLogger(SignoffService.class);
    private static final int ATTEMPTS = 5;
    private static final Set<String> PRE_RELEASE_OPEN = Set.of("DRAFT", "PREPARING", "READY");
    private static final Set<String> POST_RELEASE_OPEN = Set.of("DEPLOYING", "MONITORING");

    private final ReleaseReader releases;
    private final MongoTemplate mongo;
    private final SigningKeys keys;
    private final SignoffLog signoffLog;
    private final HistoryIndex historyIndex;
    private final FreshMfa mfa;
    private final SignoffProperties properties;
    private final Clock clock;
    private final ObjectProvider<OutboxRelay> relay;

    SignoffService(ReleaseReader releases, MongoTemplate mongo, SigningKeys keys, SignoffLog signoffLog,
            HistoryIndex historyIndex, FreshMfa mfa, SignoffProperties properties, Clock clock,
            ObjectProvider<OutboxRelay> relay) {
        this.releases = releases;
        this.mongo = mongo;
        this.keys = keys;
        this.signoffLog = signoffLog;
        this.historyIndex = historyIndex;
        this.mfa = mfa;
        this.properties = properties;
        this.clock = clock;
        this.relay = relay;
    }

    /** A release's checklist and its sign-offs, read for someone allowed to see them. */
    public record ReleaseState(ReleaseView release, ReleaseSignoffs signoffs) {
    }

    public ReleaseState state(CurrentUser user, String releaseId) {
        ReleaseView release = visibleRelease(user, releaseId);
        return new ReleaseState(release, load(releaseId));
    }

    public Gate gate(CurrentUser user, String releaseId, String phase) {
        ReleaseView release = visibleRelease(user, releaseId);
        return Gate.evaluate(release, load(releaseId), phase);
    }

    public SignoffRecord sign(CurrentUser user, String releaseId, SignRequest request, String idempotencyKey) {
        ReleaseView release = writableRelease(user, releaseId);
        mfa.require(user);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ReleaseSignoffs signoffs = loadOrNew(release);
            if (idempotencyKey != null) {
                var replay = signoffs.byIdempotencyKey(user.subject(), idempotencyKey);
                if (replay.isPresent()) {
                    return ensureLogged(releaseId, replay.get());
                }
            }
            ReleaseView.RoleRequirement requirement = checkSignable(user, release, signoffs, request);
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            String digest = PhaseDigest.of(release, requirement.phase());
            List<String> attestations = new ArrayList<>(new TreeSet<>(request.confirmedAttestations()));
            SignoffRecord record = signed(SignoffRecord.SIGNOFF, release, requirement.phase(), request.role(),
                    request.decision(), user, request.comment(), attestations, null, digest, now, idempotencyKey);
            boolean clearBefore = Gate.evaluate(release, signoffs, requirement.phase()).cleared();
            signoffs.append(record);
            signoffs.getOutbox().add(OutboxEvent.of("signoff.recorded", releaseId, release.product(), user.name(),
                    eventData(record), now));
            Gate after = Gate.evaluate(release, signoffs, requirement.phase());
            if (after.cleared() && !clearBefore) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("phase", after.phase());
                data.put("checklistVersion", after.checklistVersion());
                data.put("digest", after.digest());
                data.put("roles", after.requiredRoles());
                signoffs.getOutbox().add(OutboxEvent.of("gate.cleared", releaseId, release.product(), user.name(),
                        data, now));
            }
            if (save(signoffs)) {
                return ensureLogged(releaseId, record);
            }
        }
        throw ProblemException.conflict(SignoffProblems.CONCURRENT_SIGNOFF, "Concurrent sign-off",
                "Another sign-off for this release was recorded at the same moment; read the sign-offs and retry");
    }

    public SignoffRecord revoke(CurrentUser user, String releaseId, String signoffId, String reason) {
        ReleaseView release = writableRelease(user, releaseId);
        mfa.require(user);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ReleaseSignoffs signoffs = load(releaseId);
            SignoffRecord target = signoffs == null ? null
                    : signoffs.byId(signoffId).filter(e -> !e.isRevocation()).orElse(null);
            if (target == null) {
                throw ProblemException.notFound("Sign-off", signoffId);
            }
            if (!target.signer().equals(user.subject())) {
                throw new ProblemException(HttpStatus.FORBIDDEN, SignoffProblems.NOT_YOUR_SIGNOFF,
                        "Not your sign-off", "Only the signer may revoke a sign-off");
            }
            if (signoffs.isRevoked(target)) {
                throw ProblemException.conflict(SignoffProblems.ALREADY_REVOKED, "Already revoked",
                        "This sign-off was revoked already");
            }
            requireOpen(release, target.phase());
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            SignoffRecord revocation = signed(SignoffRecord.REVOCATION, release, target.phase(), target.role(),
                    "REVOKE", user, reason, List.of(), target.id(), PhaseDigest.of(release, target.phase()), now,
                    null);
            signoffs.append(revocation);
            signoffs.getOutbox().add(OutboxEvent.of("signoff.revoked", releaseId, release.product(), user.name(),
                    eventData(revocation), now));
            if (save(signoffs)) {
                return ensureLogged(releaseId, revocation);
            }
        }
        throw ProblemException.conflict(SignoffProblems.CONCURRENT_SIGNOFF, "Concurrent change",
                "The sign-offs of this release changed at the same moment; retry");
    }

    private ReleaseView.RoleRequirement checkSignable(CurrentUser user, ReleaseView release, ReleaseSignoffs signoffs,
            SignRequest request) {
        String role = request.role();
        if (!SignoffRoles.ALL.contains(role)) {
            throw SignoffProblems.unknownRole(role);
        }
        if (!user.hasRole(role)) {
            throw SignoffProblems.roleNotHeld(role);
        }
        ReleaseView.RoleRequirement requirement = release.requirement(role)
                .orElseThrow(() -> SignoffProblems.roleNotRequired(role));
        requireOpen(release, requirement.phase());
        if ("APPROVE".equals(request.decision())) {
            List<String> missing = requirement.attestations().stream()
                    .filter(key -> !request.confirmedAttestations().contains(key)).toList();
            if (!missing.isEmpty()) {
                throw SignoffProblems.attestationsMissing(missing);
            }
        }
        List<String> otherRoles = signoffs.rolesSignedBy(user.subject()).stream().filter(r -> !r.equals(role))
                .toList();
        if (!otherRoles.isEmpty()) {
            throw SignoffProblems.separationOfDuties("You signed this release as " + String.join(", ", otherRoles)
                    + " already; one person signs one role per release");
        }
        if ("PRE_RELEASE".equals(requirement.phase()) && "APPROVE".equals(request.decision())
                && isCreator(user, release) && !properties.creatorMayApprovePreRelease(release.product())) {
            throw SignoffProblems.separationOfDuties(
                    "You created this release; its pre-release gate must be approved by someone else");
        }
        signoffs.latestFor(role).ifPresent(latest -> {
            boolean current = "REJECT".equals(latest.decision())
                    || latest.digest().equals(PhaseDigest.of(release, requirement.phase()));
            if (current) {
                throw ProblemException.conflict(SignoffProblems.ALREADY_SIGNED, "Already signed",
                        "The " + role + " sign-off of this release is already recorded and current ("
                                + latest.decision() + " by " + latest.signerName()
                                + "); revoke it first to change it");
            }
        });
        return requirement;
    }

    private static boolean isCreator(CurrentUser user, ReleaseView release) {
        String creator = release.createdBy();
        return creator != null && (creator.equals(user.subject()) || creator.equals(user.name()));
    }

    private static void requireOpen(ReleaseView release, String phase) {
        Set<String> open = "PRE_RELEASE".equals(phase) ? PRE_RELEASE_OPEN : POST_RELEASE_OPEN;
        if (!open.contains(release.status())) {
            throw SignoffProblems.releaseClosed(release.status(), phase);
        }
    }

    private SignoffRecord signed(String type, ReleaseView release, String phase, String role, String decision,
            CurrentUser user, String comment, List<String> attestations, String revokes, String digest, Instant now,
            String idempotencyKey) {
        String id = UUID.randomUUID().toString();
        Instant authTime = user.authTime() == null ? null : user.authTime().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("type", type);
        statement.put("id", id);
        statement.put("releaseId", release.id());
        statement.put("product", release.product());
        statement.put("phase", phase);
        statement.put("role", role);
        statement.put("decision", decision);
        statement.put("checklistVersion", release.checklistVersion());
        statement.put("digest", digest);
        statement.put("signer", user.subject());
        statement.put("signerName", user.name());
        statement.put("attestations", attestations);
        statement.put("comment", comment);
        if (revokes != null) {
            statement.put("revokes", revokes);
        }
        statement.put("signedAt", now.toString());
        statement.put("acr", user.acr());
        statement.put("authTime", authTime == null ? null : authTime.toString());
        String kid = keys.currentKeyId();
        String jws = keys.sign(LeafVerifier.SIGNOFF_TYPE, Jcs.canonicalize(statement));
        return new SignoffRecord(id, type, phase, role, decision, user.subject(), user.name(), comment, attestations,
                revokes, release.checklistVersion(), digest, now, user.acr(), authTime, kid, jws, null,
                idempotencyKey);
    }

    private static Map<String, Object> eventData(SignoffRecord record) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("signoffId", record.id());
        data.put("role", record.role());
        data.put("phase", record.phase());
        data.put("decision", record.decision());
        data.put("signer", record.signerName());
        data.put("checklistVersion", record.checklistVersion());
        data.put("digest", record.digest());
        if (record.revokes() != null) {
            data.put("revokes", record.revokes());
        }
        return data;
    }

    private boolean save(ReleaseSignoffs signoffs) {
        try {
            mongo.save(signoffs);
            return true;
        }
        catch (OptimisticLockingFailureException | DuplicateKeyException ex) {
            return false;
        }
    }

    /** Appends the statement to the log (idempotent per sign-off) and records its index. */
    private SignoffRecord ensureLogged(String releaseId, SignoffRecord record) {
        if (record.logIndex() != null) {
            return record;
        }
        ReleaseSignoffs signoffs = load(releaseId);
        long index = signoffLog.append(logEntry(signoffs.getProduct(), releaseId, record));
        mongo.updateFirst(Query.query(Criteria.where("_id").is(releaseId).and("entries.id").is(record.id())),
                new Update().set("entries.$.logIndex", index).inc("version", 1), ReleaseSignoffs.class);
        relay.ifAvailable(OutboxRelay::wake);
        historyIndex.catchUp();
        return record.withLogIndex(index);
    }

    static LogEntryRecord logEntry(String product, String releaseId, SignoffRecord r) {
        byte[] leaf = r.jws().getBytes(StandardCharsets.UTF_8);
        return new LogEntryRecord(-1, leaf, MerkleTree.leafHash(leaf), r.id(), r.type(), releaseId, product,
                r.phase(), r.role(), r.decision(), r.signer(), r.signerName(), r.checklistVersion(), r.digest(),
                r.signedAt(), r.acr(), r.authTime(), r.revokes());
    }

    /**
     * Sign-offs recorded but not logged (the service stopped in between) are appended now, and log entries without
     * history postings (a stop between append and indexing, or a log older than the index) are indexed.
     */
    @Scheduled(initialDelayString = "${liftoff.signoff.recovery-interval:30s}",
            fixedDelayString = "${liftoff.signoff.recovery-interval:30s}")
    public int logPending() {
        int appended = 0;
        // A scan over the releases' sign-off documents (one per release, not per entry): the embedded store cannot
        // match a missing field inside an array element reliably, so the filter runs here.
        try (var all = mongo.stream(new Query(), ReleaseSignoffs.class)) {
            for (ReleaseSignoffs signoffs : (Iterable<ReleaseSignoffs>) all::iterator) {
                for (SignoffRecord record : signoffs.unlogged()) {
                    ensureLogged(signoffs.getReleaseId(), record);
                    appended++;
                }
            }
        }
        if (appended > 0) {
            log.info("Appended {} sign-off(s) that were recorded but not yet logged", appended);
        }
        historyIndex.catchUp();
        return appended;
    }

    ReleaseSignoffs load(String releaseId) {
        return mongo.findById(releaseId, ReleaseSignoffs.class);
    }

    private ReleaseSignoffs loadOrNew(ReleaseView release) {
        ReleaseSignoffs signoffs = load(release.id());
        return signoffs != null ? signoffs : new ReleaseSignoffs(release.id(), release.product());
    }

    private ReleaseView visibleRelease(CurrentUser user, String releaseId) {
        ReleaseView release = releases.read(releaseId);
        if (!user.canRead(release.product())) {
            throw ProblemException.notFound("Release", releaseId);
        }
        return release;
    }

    private ReleaseView writableRelease(CurrentUser user, String releaseId) {
        ReleaseView release = visibleRelease(user, releaseId);
        if (!user.canWrite(release.product())) {
            throw new ProblemException(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden",
                    "You may read this release but not sign it");
        }
        return release;
    }
}
