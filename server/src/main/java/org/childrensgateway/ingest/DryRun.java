package org.childrensgateway.ingest;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.childrensgateway.fhir.validation.ResourceValidator;
import org.childrensgateway.mappers.FeedReader;
import org.childrensgateway.mappers.Issue;
import org.childrensgateway.mappers.MappedRecord;
import org.childrensgateway.mappers.RecordStream;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * {@code ?dryRun=true}: maps and validates an extract and shows the FHIR that would be written
 * with every issue, writing nothing. This is how an engineer previews a mapping change.
 */
@Component
public class DryRun {

    /** Records shown in full; the counts always cover the whole file. */
    static final int MAX_SHOWN = 200;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Preview(String feed, String file, String mappingVersion, int records, int wouldStore, int wouldQuarantine,
                          boolean truncated, List<Item> items) {
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Item(String location, String sourceId, boolean quarantine, List<Issue> issues,
                       List<ValidationFinding> validation, @JsonRawValue String bundle) {
    }

    public record ValidationFinding(String resourceType, String severity, String location, String message) {
    }

    private final ResourceValidator validator;
    private final FhirContext context;

    public DryRun(ResourceValidator validator, FhirContext context) {
        this.validator = validator;
        this.context = context;
    }

    public Preview preview(FeedReader reader, InputStream in) throws Exception {
        int records = 0;
        int store = 0;
        int bad = 0;
        List<Item> items = new ArrayList<>();
        try (RecordStream stream = reader.open(in)) {
            for (MappedRecord record : stream) {
                records++;
                List<ValidationFinding> findings = validate(record);
                boolean quarantine = record.isQuarantined() || findings.stream().anyMatch(f -> f.severity().equals("error"));
                if (quarantine) {
                    bad++;
                } else {
                    store++;
                }
                if (items.size() < MAX_SHOWN) {
                    String bundle = record.isQuarantined() ? null
                            : context.newJsonParser().encodeResourceToString(record.toTransactionBundle());
                    items.add(new Item(record.location(), record.sourceId(), quarantine, record.issues(), findings, bundle));
                }
            }
        }
        return new Preview(reader.mapping().feed, reader.mapping().file, reader.version(), records, store, bad,
                records > items.size(), items);
    }

    private List<ValidationFinding> validate(MappedRecord record) {
        List<ValidationFinding> findings = new ArrayList<>();
        for (Resource resource : record.resources()) {
            OperationOutcome outcome = validator.validate(resource);
            for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
                if (issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR || issue.getSeverity() == OperationOutcome.IssueSeverity.FATAL
                        || issue.getSeverity() == OperationOutcome.IssueSeverity.WARNING) {
                    findings.add(new ValidationFinding(resource.fhirType(), issue.getSeverity() == OperationOutcome.IssueSeverity.WARNING
                            ? "warning" : "error", issue.getExpression().isEmpty() ? null : issue.getExpression().get(0).getValue(),
                            issue.getDiagnostics()));
                }
            }
        }
        return findings;
    }
}
