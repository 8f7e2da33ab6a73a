package io.liftoff.signoff.history;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import io.liftoff.common.problem.ProblemException;
import io.liftoff.common.problem.ProblemTypes;
import io.liftoff.common.security.CurrentUser;
import io.liftoff.signoff.api.HistoryApi;
import io.liftoff.signoff.api.model.EntryDecision;
import io.liftoff.signoff.api.model.HistoryEntry;
import io.liftoff.signoff.api.model.SignoffPage;
import io.liftoff.signoff.log.LogEntryRecord;

import org.springframework.core.io.InputStreamResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/signoffs}: pages of JSON, or the whole range streamed as CSV or NDJSON. */
@RestController
class HistoryController implements HistoryApi {

    static final String READERS = "hasAnyRole('auditor','admin','release-manager')";
    static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");
    static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    private static final List<String> COLUMNS = List.of("logIndex", "signedAt", "type", "releaseId", "product",
            "phase", "role", "decision", "signer", "signerName", "checklistVersion", "digest", "acr", "authTime", "id",
            "revokes");

    private final HistoryQuery history;
    private final HttpServletRequest request;
    private final JsonMapper json;

    HistoryController(HistoryQuery history, HttpServletRequest request, JsonMapper json) {
        this.history = history;
        this.request = request;
        this.json = json;
    }

    @Override
    @PreAuthorize(READERS)
    @SuppressWarnings({ "unchecked", "rawtypes" })
    public ResponseEntity<SignoffPage> searchSignoffs(String releaseId, String product, String signer, String role,
            EntryDecision decision, OffsetDateTime from, OffsetDateTime to, String cursor, Integer limit) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw ProblemException.badRequest(ProblemTypes.INVALID_PARAMETER, "Invalid parameter",
                    "from must be before to").with("parameter", "from");
        }
        HistoryQuery.Filter filter = new HistoryQuery.Filter(releaseId, product, signer, role,
                decision == null ? null : decision.getValue(), from == null ? null : from.toInstant(),
                to == null ? null : to.toInstant());
        CurrentUser user = CurrentUser.of(SecurityContextHolder.getContext().getAuthentication());
        MediaType stream = streamType(request.getHeader("Accept"));
        if (stream != null) {
            Iterator<LogEntryRecord> rows = history.iterate(user, filter, HistoryQuery.decodeCursor(cursor));
            boolean csv = stream.equals(CSV);
            Iterator<String> lines = new Iterator<>() {
                private boolean header = csv;

                @Override
                public boolean hasNext() {
                    return header || rows.hasNext();
                }

                @Override
                public String next() {
                    if (header) {
                        header = false;
                        return String.join(",", COLUMNS) + "\r\n";
                    }
                    Map<String, Object> row = row(rows.next());
                    return csv ? csvLine(row) : json.writeValueAsString(row) + "\n";
                }
            };
            return (ResponseEntity) ResponseEntity.ok().contentType(stream)
                    .header("Content-Disposition", "attachment; filename=\"signoffs." + (csv ? "csv" : "ndjson") + "\"")
                    .body(new InputStreamResource(new LineStream(lines)));
        }
        HistoryQuery.Page page = history.page(user, filter, cursor, limit == null ? 50 : limit);
        return ResponseEntity.ok(new SignoffPage().items(page.items().stream().map(HistoryController::toApi).toList())
                .nextCursor(page.nextCursor()));
    }

    static MediaType streamType(String accept) {
        if (accept == null) {
            return null;
        }
        for (MediaType type : MediaType.parseMediaTypes(accept)) {
            if (type.isCompatibleWith(MediaType.APPLICATION_JSON) && !type.isWildcardType()) {
                return null;
            }
            if (type.getType().equals("text") && type.getSubtype().equals("csv")) {
                return CSV;
            }
            if (type.getSubtype().equals("x-ndjson")) {
                return NDJSON;
            }
        }
        return null;
    }

    static HistoryEntry toApi(LogEntryRecord e) {
        return new HistoryEntry().logIndex(e.index()).id(e.signoffId()).type(e.type()).releaseId(e.releaseId())
                .product(e.product()).phase(e.phase()).role(e.role()).decision(EntryDecision.fromValue(e.decision()))
                .signer(e.signer()).signerName(e.signerName()).checklistVersion(e.checklistVersion())
                .digest(e.digest()).signedAt(e.signedAt().atOffset(ZoneOffset.UTC)).acr(e.acr())
                .authTime(e.authTime() == null ? null : e.authTime().atOffset(ZoneOffset.UTC)).revokes(e.revokes());
    }

    static Map<String, Object> row(LogEntryRecord e) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("logIndex", e.index());
        row.put("signedAt", e.signedAt().toString());
        row.put("type", e.type());
        row.put("releaseId", e.releaseId());
        row.put("product", e.product());
        row.put("phase", e.phase());
        row.put("role", e.role());
        row.put("decision", e.decision());
        row.put("signer", e.signer());
        row.put("signerName", e.signerName());
        row.put("checklistVersion", e.checklistVersion());
        row.put("digest", e.digest());
        row.put("acr", e.acr());
        row.put("authTime", e.authTime() == null ? null : e.authTime().toString());
        row.put("id", e.signoffId());
        row.put("revokes", e.revokes());
        return row;
    }

    static String csvLine(Map<String, Object> row) {
        StringBuilder line = new StringBuilder();
        for (String column : COLUMNS) {
            if (!line.isEmpty()) {
                line.append(',');
            }
            Object value = row.get(column);
            String text = value == null ? "" : value.toString();
            if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
                text = "'" + text; // no formulas for spreadsheet programs
            }
            if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
                text = "\"" + text.replace("\"", "\"\"") + "\"";
            }
            line.append(text);
        }
        return line.append("\r\n").toString();
    }

    /** Pulls lines from the iterator only as the response is written: the export never sits in memory whole. */
    static final class LineStream extends InputStream {

        private final Iterator<String> lines;
        private byte[] current = new byte[0];
        private int position;

        LineStream(Iterator<String> lines) {
            this.lines = lines;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return current[position++] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, n);
            position += n;
            return n;
        }

        private boolean fill() {
            while (position >= current.length) {
                if (!lines.hasNext()) {
                    return false;
                }
                current = lines.next().getBytes(StandardCharsets.UTF_8);
                position = 0;
            }
            return true;
        }
    }
}
