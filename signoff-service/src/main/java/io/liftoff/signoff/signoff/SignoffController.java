package io.liftoff.signoff.signoff;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.liftoff.common.security.Access;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.signoff.api.GatesApi;
import io.liftoff.signoff.api.SignoffsApi;
import io.liftoff.signoff.api.model.Attestation;
import io.liftoff.signoff.api.model.EntryDecision;
import io.liftoff.signoff.api.model.GatePhase;
import io.liftoff.signoff.api.model.ReleaseSignoffs;
import io.liftoff.signoff.api.model.RevocationRequest;
import io.liftoff.signoff.api.model.Signoff;
import io.liftoff.signoff.api.model.SignoffRequest;
import io.liftoff.signoff.canonical.PhaseDigest;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.RestController;

/** Gates and the sign-offs of a release (DESIGN.md section 11). Thin: access and mapping. */
@RestController
class SignoffController implements GatesApi, SignoffsApi {

    private final SignoffService signoffs;

    SignoffController(SignoffService signoffs) {
        this.signoffs = signoffs;
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<io.liftoff.signoff.api.model.Gate> getGate(String releaseId, GatePhase phase) {
        Gate gate = signoffs.gate(user(), releaseId, phase.getValue());
        return ResponseEntity.ok(new io.liftoff.signoff.api.model.Gate().releaseId(gate.releaseId())
                .phase(GatePhase.fromValue(gate.phase())).cleared(gate.cleared()).requiredRoles(gate.requiredRoles())
                .missingRoles(gate.missingRoles()).staleSignoffs(gate.staleSignoffs())
                .rejectedSignoffs(gate.rejectedSignoffs()).checklistVersion(gate.checklistVersion())
                .digest(gate.digest()));
    }

    @Override
    @PreAuthorize(Access.READ)
    public ResponseEntity<ReleaseSignoffs> listReleaseSignoffs(String releaseId) {
        SignoffService.ReleaseState state = signoffs.state(user(), releaseId);
        Map<String, String> digests = new LinkedHashMap<>();
        for (String phase : List.of("PRE_RELEASE", "POST_RELEASE")) {
            digests.put(phase, PhaseDigest.of(state.release(), phase));
        }
        List<Signoff> items = new ArrayList<>();
        if (state.signoffs() != null) {
            for (SignoffRecord record : state.signoffs().getEntries()) {
                items.add(toApi(state.release().id(), state.release().product(), record, state.signoffs(), digests));
            }
        }
        return ResponseEntity.ok(new ReleaseSignoffs().releaseId(releaseId).product(state.release().product())
                .checklistVersion(state.release().checklistVersion()).digests(digests).signoffs(items));
    }

    @Override
    @PreAuthorize(SignoffRoles.SIGNERS)
    public ResponseEntity<Signoff> createSignoff(String releaseId, SignoffRequest request, String idempotencyKey) {
        List<String> confirmed = request.getAttestations() == null ? List.of()
                : request.getAttestations().stream().filter(a -> Boolean.TRUE.equals(a.getConfirmed()))
                        .map(Attestation::getKey).toList();
        SignoffRecord record = signoffs.sign(user(), releaseId, new SignRequest(request.getRole(),
                request.getDecision().getValue(), request.getComment(), confirmed), idempotencyKey);
        return created(releaseId, record);
    }

    @Override
    @PreAuthorize(SignoffRoles.SIGNERS)
    public ResponseEntity<Signoff> revokeSignoff(String releaseId, String signoffId, RevocationRequest request) {
        SignoffRecord record = signoffs.revoke(user(), releaseId, signoffId,
                request == null ? null : request.getReason());
        return created(releaseId, record);
    }

    private ResponseEntity<Signoff> created(String releaseId, SignoffRecord record) {
        SignoffService.ReleaseState state = signoffs.state(user(), releaseId);
        Map<String, String> digests = Map.of(record.phase(), PhaseDigest.of(state.release(), record.phase()));
        return ResponseEntity.created(URI.create("/api/releases/" + releaseId + "/signoffs#" + record.id()))
                .body(toApi(releaseId, state.release().product(), record, state.signoffs(), digests));
    }

    static Signoff toApi(String releaseId, String product, SignoffRecord record,
            io.liftoff.signoff.signoff.ReleaseSignoffs all, Map<String, String> digests) {
        boolean revocation = record.isRevocation();
        boolean revoked = !revocation && all != null && all.isRevoked(record);
        boolean stale = !revocation && !record.digest().equals(digests.get(record.phase()));
        boolean latest = !revocation && all != null
                && all.latestFor(record.role()).map(l -> l.id().equals(record.id())).orElse(false);
        boolean current = latest && !revoked && ("REJECT".equals(record.decision()) || !stale);
        return new Signoff().id(record.id()).type(Signoff.TypeEnum.fromValue(record.type())).releaseId(releaseId)
                .product(product).phase(GatePhase.fromValue(record.phase())).role(record.role())
                .decision(EntryDecision.fromValue(record.decision())).signer(record.signer())
                .signerName(record.signerName()).comment(record.comment()).attestations(record.attestations())
                .revokes(record.revokes()).checklistVersion(record.checklistVersion()).digest(record.digest())
                .signedAt(time(record.signedAt())).acr(record.acr()).authTime(time(record.authTime()))
                .keyId(record.keyId()).jws(record.jws()).logIndex(record.logIndex()).revoked(revoked)
                .current(current).stale(stale);
    }

    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static CurrentUser user() {
        return CurrentUser.of(SecurityContextHolder.getContext().getAuthentication());
    }
}
