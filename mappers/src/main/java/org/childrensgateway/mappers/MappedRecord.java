package org.childrensgateway.mappers;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * The result of mapping one source record (a CSV row or one SystmOne Patient element).
 * A record with any ERROR issue is quarantined: it has no entries, and {@link #rawText()} holds a
 * self-contained copy of the record (header + row, or a one-patient extract) to store and replay.
 * A part that fails on its own ({@link #partFaults()}) is left out and quarantined by itself; the
 * record's other entries are stored.
 */
public record MappedRecord(
        String feed,
        String file,
        String mappingVersion,
        String location,
        long line,
        String sourceId,
        String rawText,
        List<TransactionEntry> entries,
        Instant lastUpdated,
        List<Issue> issues,
        List<PartFault> partFaults) {

    public MappedRecord {
        entries = List.copyOf(entries);
        issues = List.copyOf(issues);
        partFaults = partFaults == null ? List.of() : List.copyOf(partFaults);
    }

    /** A record with no part quarantined on its own. */
    public MappedRecord(String feed, String file, String mappingVersion, String location, long line, String sourceId, String rawText,
                        List<TransactionEntry> entries, Instant lastUpdated, List<Issue> issues) {
        this(feed, file, mappingVersion, location, line, sourceId, rawText, entries, lastUpdated, issues, List.of());
    }

    public boolean isQuarantined() {
        return issues.stream().anyMatch(Issue::isError);
    }

    /** The error issues joined, e.g. for a quarantine table; contains no personal data. */
    public String quarantineReason() {
        return issues.stream().filter(Issue::isError).map(Issue::toString).collect(Collectors.joining("; "));
    }

    /** When the source says the record last changed (RiO LastUpdated), if it says. */
    public Optional<Instant> lastUpdatedAt() {
        return Optional.ofNullable(lastUpdated);
    }

    public List<Resource> resources() {
        return entries.stream().map(TransactionEntry::resource).toList();
    }

    /** The entries as a new FHIR transaction Bundle of copies, on every call (empty when quarantined). */
    public Bundle toTransactionBundle() {
        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        entries.forEach(e -> e.addTo(b));
        return b;
    }
}
