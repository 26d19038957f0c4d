package org.childrensgateway.ingest;

import jakarta.servlet.http.HttpServletRequest;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.childrensgateway.mappers.FeedReader;
import org.childrensgateway.mappers.MappingRegistry;
import org.childrensgateway.security.CallerContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where vendor systems push their native extracts ({@code text/csv}, {@code application/xml}).
 * Small extracts are processed at once; large ones (or {@code ?async=true}) become a job whose
 * status resource reports progress and counts.
 */
@RestController
@RequestMapping("/ingest")
public class IngestController {

    private final IngestService ingest;
    private final IngestJobStore jobs;
    private final DryRun dryRun;
    private final QuarantineReplay replay;
    private final QuarantineStore quarantine;
    private final MappingRegistry mappings;
    private final IngestFeedOwnership ownership;
    private final long syncMaxBytes;

    public IngestController(IngestService ingest, IngestJobStore jobs, DryRun dryRun, QuarantineReplay replay,
                            QuarantineStore quarantine, MappingRegistry mappings, IngestFeedOwnership ownership,
                            @Value("${gateway.ingest.sync-max-bytes:1048576}") long syncMaxBytes) {
        this.ownership = ownership;
        this.ingest = ingest;
        this.jobs = jobs;
        this.dryRun = dryRun;
        this.replay = replay;
        this.quarantine = quarantine;
        this.mappings = mappings;
        this.syncMaxBytes = syncMaxBytes;
    }

    @PostMapping("/{feed}/{file}")
    public ResponseEntity<?> ingest(@PathVariable String feed, @PathVariable String file,
                                    @RequestParam(defaultValue = "false") boolean dryRun,
                                    @RequestParam(defaultValue = "false") boolean async,
                                    HttpServletRequest request) throws Exception {
        FeedReader reader = ingest.reader(feed, file);
        try (InputStream body = request.getInputStream()) {
            if (dryRun) {
                return ResponseEntity.ok(this.dryRun.preview(reader, body));
            }
            long length = request.getContentLengthLong();
            if (async || length < 0 || length > syncMaxBytes) {
                UUID id = jobs.enqueue(feed, file, reader.version(), CallerContext.current().orElse(null),
                        String.valueOf(request.getContentType()), body, length);
                // The 202 says what was accepted; the Location's job resource has the live status.
                IngestReport queued = ingest.report(jobs.find(id).orElseThrow().asAccepted());
                return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/ingest/jobs/" + id)).body(queued);
            }
            UUID id = jobs.create(feed, file, reader.version(), IngestJobStore.RUNNING, CallerContext.current().orElse(null));
            IngestJobStore.Counts counts = ingest.run(id, reader, body, IngestJobStore.Counts.ZERO);
            jobs.finish(id, counts, IngestJobStore.DONE, null);
            return ResponseEntity.ok().location(URI.create("/ingest/jobs/" + id)).body(ingest.report(jobs.find(id).orElseThrow()));
        }
    }

    @GetMapping("/jobs/{id}")
    public IngestReport job(@PathVariable UUID id) {
        return ingest.report(jobs.find(id).orElseThrow(() -> new NotFoundException("No ingest job " + id)));
    }

    /**
     * Quarantined records of the caller's own organisation's feeds, without their text (which holds
     * personal data): fetch one by id for that. Who may call it at all is in access.RouteTable.
     */
    @GetMapping("/quarantine")
    public List<IngestReport.QuarantinedRecord> quarantined(@RequestParam(required = false) String feed,
                                                            @RequestParam(required = false) String file,
                                                            @RequestParam(defaultValue = "open") String status,
                                                            @RequestParam(required = false) UUID jobId,
                                                            @RequestParam(defaultValue = "0") long afterId,
                                                            @RequestParam(defaultValue = "100") int limit) {
        java.util.Set<String> own = ownership.feedsOf(CallerContext.require().organisation());
        List<IngestReport.QuarantinedRecord> out = new java.util.ArrayList<>();
        for (String f : feed != null ? List.of(feed) : List.copyOf(own)) {
            if (!own.contains(f)) {
                continue; // another organisation's feed lists as one with nothing quarantined
            }
            quarantine.list(f, file, "any".equals(status) ? null : status, jobId, afterId, Math.min(limit, 1000)).stream()
                    .map(q -> new IngestReport.QuarantinedRecord(q.id(), q.location(), q.sourceId(), q.reason())).forEach(out::add);
        }
        out.sort(java.util.Comparator.comparingLong(IngestReport.QuarantinedRecord::id));
        return out.size() > limit ? out.subList(0, Math.min(limit, 1000)) : out;
    }

    @GetMapping("/quarantine/{id}")
    public QuarantineStore.Entry quarantinedRecord(@PathVariable long id) {
        return quarantine.find(id).orElseThrow(() -> new NotFoundException("No quarantined record " + id));
    }

    /** Maps and stores a quarantined record again: as it was (after a mapping fix) or as corrected in the body. */
    @PostMapping("/quarantine/{id}/replay")
    public QuarantineReplay.Result replay(@PathVariable long id, HttpServletRequest request) throws Exception {
        try (InputStream body = request.getInputStream()) {
            byte[] corrected = body.readAllBytes();
            return replay.replay(id, corrected.length == 0 ? null : new String(corrected, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @GetMapping("/mappings")
    public Map<String, Map<String, String>> mappings() {
        Map<String, Map<String, String>> feeds = new java.util.TreeMap<>();
        for (String feed : mappings.feeds()) {
            Map<String, String> files = new java.util.TreeMap<>();
            mappings.files(feed).forEach(f -> files.put(f, mappings.mapping(feed, f).version));
            feeds.put(feed, files);
        }
        return feeds;
    }

    /** Re-reads the mapping directory; if anything in it is invalid the old mappings stay in force and the error is returned. */
    @PostMapping("/mappings/reload")
    public Map<String, Map<String, String>> reload() {
        mappings.reload();
        return mappings();
    }

    /** A 404 for the gateway's own (non-FHIR) endpoints. */
    public static class NotFoundException extends RuntimeException {
        public NotFoundException(String message) {
            super(message);
        }
    }
}
