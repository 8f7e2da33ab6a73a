package io.liftoff.signoff.audit;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.signoff.api.AuditApi;
import io.liftoff.signoff.api.model.AuditBundle;
import io.liftoff.signoff.api.model.JwkSet;
import io.liftoff.signoff.api.model.LogEntry;
import io.liftoff.signoff.config.SignoffProperties;
import io.liftoff.signoff.history.HistoryQuery;
import io.liftoff.signoff.log.Checkpoints;
import io.liftoff.signoff.log.LogApiMapping;
import io.liftoff.signoff.log.LogEntryRecord;
import io.liftoff.signoff.log.SignoffLog;
import io.liftoff.signoff.signing.SigningKeys;
import io.liftoff.signoff.signoff.ReleaseSignoffs;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.RestController;

/**
 * The auditor's bundle: the entries of one release (or a time range), each with its inclusion proof against one
 * signed checkpoint, and the key set. Verify it offline with {@code bin/verify-bundle}.
 */
@RestController
class AuditController implements AuditApi {

    static final String FORMAT = "liftoff-signoff-bundle/1";

    private final HistoryQuery history;
    private final SignoffLog log;
    private final Checkpoints checkpoints;
    private final SigningKeys keys;
    private final MongoTemplate mongo;
    private final SignoffProperties properties;
    private final Clock clock;

    AuditController(HistoryQuery history, SignoffLog log, Checkpoints checkpoints, SigningKeys keys,
            MongoTemplate mongo, SignoffProperties properties, Clock clock) {
        this.history = history;
        this.log = log;
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.mongo = mongo;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    @PreAuthorize("hasAnyRole('auditor','admin','release-manager')")
    public ResponseEntity<AuditBundle> exportAuditBundle(String releaseId, OffsetDateTime from, OffsetDateTime to) {
        CurrentUser user = CurrentUser.of(SecurityContextHolder.getContext().getAuthentication());
        if (releaseId == null && (from == null || to == null)) {
            throw ProblemException.badRequest(ProblemTypes.INVALID_PARAMETER, "Invalid parameter",
                    "Give a releaseId, or both from and to").with("parameter", "releaseId");
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (releaseId != null) {
            ReleaseSignoffs signoffs = mongo.findById(releaseId, ReleaseSignoffs.class);
            if (signoffs == null || !user.canRead(signoffs.getProduct())) {
                throw ProblemException.notFound("Release", releaseId);
            }
            query.put("releaseId", releaseId);
        }
        if (from != null) {
            query.put("from", from.toInstant().toString());
        }
        if (to != null) {
            query.put("to", to.toInstant().toString());
        }
        Checkpoints.Checkpoint checkpoint = checkpoints.latest();
        Iterator<LogEntryRecord> matches = history.iterate(user, new HistoryQuery.Filter(releaseId, null, null, null,
                null, from == null ? null : from.toInstant(), to == null ? null : to.toInstant()), checkpoint.treeSize());
        List<LogEntry> entries = new ArrayList<>();
        while (matches.hasNext()) {
            if (entries.size() >= properties.exportMaxEntries()) {
                throw ProblemException.badRequest(ProblemTypes.INVALID_PARAMETER, "Range too large",
                        "More than " + properties.exportMaxEntries() + " entries match; narrow the time range")
                        .with("parameter", "from");
            }
            LogEntryRecord entry = matches.next();
            entries.add(LogApiMapping.entry(entry, checkpoint.treeSize(),
                    log.inclusionProof(entry.index(), checkpoint.treeSize())));
        }
        entries.sort(java.util.Comparator.comparing(LogEntry::getIndex));
        return ResponseEntity.ok(new AuditBundle().format(FORMAT).generatedAt(clock.instant().atOffset(ZoneOffset.UTC))
                .query(query).checkpoint(LogApiMapping.checkpoint(checkpoint))
                .keys(new JwkSet().keys(keys.publicKeysAsMaps().stream().map(LogApiMapping::jwk).toList()))
                .entries(entries));
    }
}
