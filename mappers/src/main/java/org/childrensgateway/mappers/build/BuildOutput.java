package org.childrensgateway.mappers.build;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.childrensgateway.mappers.TransactionEntry;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Resource;

/** What a layout produces for one record: transaction entries plus record facts (source id, last updated). */
public final class BuildOutput {

    private final List<TransactionEntry> entries = new ArrayList<>();
    private final List<org.childrensgateway.mappers.PartFault> partFaults = new ArrayList<>();
    private String sourceId;
    private Instant lastUpdated;

    /** Conditional update by business identifier: a re-sent record updates instead of duplicating. */
    public String put(Resource r, String system, String value) {
        String fullUrl = newFullUrl();
        entries.add(new TransactionEntry(fullUrl, r, HTTPVerb.PUT, r.fhirType() + "?" + Refs.identifierQuery(system, value), null));
        return fullUrl;
    }

    /** Conditional create: creates when no resource has the identifier, otherwise leaves the stored one unchanged. */
    public String createIfAbsent(Resource r, String system, String value) {
        String fullUrl = newFullUrl();
        entries.add(new TransactionEntry(fullUrl, r, HTTPVerb.POST, r.fhirType(), Refs.identifierQuery(system, value)));
        return fullUrl;
    }

    public String post(Resource r) {
        String fullUrl = newFullUrl();
        entries.add(new TransactionEntry(fullUrl, r, HTTPVerb.POST, r.fhirType(), null));
        return fullUrl;
    }

    private static String newFullUrl() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    /** A part of the record left out and quarantined on its own (its errors are not the record's). */
    public void quarantinePart(String location, String reason) {
        partFaults.add(new org.childrensgateway.mappers.PartFault(location, reason));
    }

    public List<org.childrensgateway.mappers.PartFault> partFaults() {
        return partFaults;
    }

    public List<TransactionEntry> entries() {
        return entries;
    }

    public String sourceId() {
        return sourceId;
    }

    public void sourceId(String id) {
        this.sourceId = id;
    }

    public Instant lastUpdated() {
        return lastUpdated;
    }

    public void lastUpdated(Instant i) {
        this.lastUpdated = i;
    }
}
