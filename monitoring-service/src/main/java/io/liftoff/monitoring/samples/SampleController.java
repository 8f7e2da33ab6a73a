package io.liftoff.monitoring.samples;

import java.util.ArrayList;
import java.util.List;

import io.liftoff.common.security.CurrentUser;
import io.liftoff.monitoring.api.SamplesApi;
import io.liftoff.monitoring.api.model.Sample;
import io.liftoff.monitoring.api.model.SampleBatch;
import io.liftoff.monitoring.api.model.SampleReceipt;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.RestController;

/** Pushed samples (DESIGN.md section 11). */
@RestController
class SampleController implements SamplesApi {

    static final String PUSH = "hasAnyRole('engineer','release-manager','admin','service','partner')";

    private final SampleIngestion ingestion;

    SampleController(SampleIngestion ingestion) {
        this.ingestion = ingestion;
    }

    @Override
    @PreAuthorize(PUSH)
    public ResponseEntity<SampleReceipt> pushSamples(String releaseId, SampleBatch batch) {
        List<SampleIngestion.Incoming> incoming = new ArrayList<>(batch.getSamples().size());
        for (Sample sample : batch.getSamples()) {
            incoming.add(new SampleIngestion.Incoming(sample.getMetric(), sample.getValue(),
                    sample.getUnit() == null ? null : sample.getUnit().getValue(),
                    sample.getTimestamp() == null ? null : sample.getTimestamp().toInstant(),
                    sample.getLabels()));
        }
        SampleIngestion.Receipt receipt = ingestion.ingest(
                CurrentUser.of(SecurityContextHolder.getContext().getAuthentication()), releaseId, incoming);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new SampleReceipt().accepted(receipt.accepted()).evaluating(receipt.evaluating()));
    }
}
