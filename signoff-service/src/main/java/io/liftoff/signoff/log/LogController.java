package io.liftoff.signoff.log;

import java.net.URI;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.common.security.Access;
import io.liftoff.signoff.api.LogApi;
import io.liftoff.signoff.api.model.Checkpoint;
import io.liftoff.signoff.api.model.ConsistencyProof;
import io.liftoff.signoff.api.model.Jwk;
import io.liftoff.signoff.api.model.JwkSet;
import io.liftoff.signoff.api.model.LogEntry;
import io.liftoff.signoff.signing.SigningKeys;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.RestController;

/** The sign-off log: checkpoints, entries with inclusion proofs, consistency proofs, keys. Read only. */
@RestController
class LogController implements LogApi {

    static final URI INTEGRITY_FAILURE = ProblemTypes.of("log-integrity-failure");

    private final SignoffLog log;
    private final Checkpoints checkpoints;
    private final LogAuditor auditor;
    private final SigningKeys keys;

    LogController(SignoffLog log, Checkpoints checkpoints, LogAuditor auditor, SigningKeys keys) {
        this.log = log;
        this.checkpoints = checkpoints;
        this.auditor = auditor;
        this.keys = keys;
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<Checkpoint> getCheckpoint(Boolean verify) {
        LogAuditor.Report report = Boolean.TRUE.equals(verify) ? auditor.audit() : auditor.lastFailure();
        if (report != null && !report.intact()) {
            throw new ProblemException(HttpStatus.INTERNAL_SERVER_ERROR, INTEGRITY_FAILURE, "Log integrity failure",
                    "The stored log no longer matches its hashes or signatures; no checkpoint is signed")
                    .with("failingEntries", report.failingEntries()).with("failingNodes", report.failingNodes());
        }
        return ResponseEntity.ok(LogApiMapping.checkpoint(checkpoints.latest()));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<LogEntry> getLogEntry(Long index, Long treeSize) {
        long size = log.size();
        long ts = treeSize == null ? size : treeSize;
        if (ts > size) {
            throw ProblemException.badRequest(ProblemTypes.INVALID_PARAMETER, "Invalid parameter",
                    "treeSize " + ts + " is larger than the log (" + size + ")").with("parameter", "treeSize");
        }
        if (index >= ts) {
            throw ProblemException.notFound("Log entry", String.valueOf(index));
        }
        LogEntryRecord entry = log.entry(index);
        if (entry == null) {
            throw ProblemException.notFound("Log entry", String.valueOf(index));
        }
        return ResponseEntity.ok(LogApiMapping.entry(entry, ts, log.inclusionProof(index, ts)));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<ConsistencyProof> getConsistencyProof(Long first, Long second) {
        long size = log.size();
        if (first > second || second > size) {
            throw ProblemException.badRequest(ProblemTypes.INVALID_PARAMETER, "Invalid parameter",
                    "Need 1 <= first <= second <= " + size).with("parameter", first > second ? "first" : "second");
        }
        return ResponseEntity.ok(new ConsistencyProof().first(first).second(second)
                .proof(log.consistencyProof(first, second).stream().map(LogApiMapping::b64).toList()));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<JwkSet> getLogKeys() {
        return ResponseEntity.ok(new JwkSet().keys(keys.publicKeysAsMaps().stream().map(LogApiMapping::jwk).toList()));
    }

    @Override
    @PreAuthorize("hasRole('admin')")
    public ResponseEntity<Jwk> rotateLogKey() {
        Jwk created = LogApiMapping.jwk(keys.rotate().toJSONObject());
        return ResponseEntity.created(URI.create("/api/log/keys#" + created.getKid())).body(created);
    }
}
