package org.childrensgateway.identity;

import org.childrensgateway.access.AccessGate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /identity/unlinks/{link}/disclosures}: what an undone link disclosed
 * ({@link LinkDisclosureReport}), for the data protection officer. It answers questions about
 * everyone's access, as the audit operations do, so it is for the auditor role only: the route table
 * refuses everyone else before a controller runs, and {@link #requireAuditor} checks again. Read-only.
 */
@RestController
@RequestMapping("/identity/unlinks")
class LinkDisclosureController {

    private final LinkDisclosureReport reports;
    private final AccessGate gate;

    LinkDisclosureController(LinkDisclosureReport reports, AccessGate gate) {
        this.reports = reports;
        this.gate = gate;
    }

    @org.springframework.web.bind.annotation.ModelAttribute
    void requireAuditor() {
        if (!gate.isAuditor(org.childrensgateway.security.CallerContext.current().orElse(null))) {
            throw new ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException("This report is for the auditor role");
        }
    }

    /** The report for an ended link (its {@code person_link} id, as the unlink answered and the child's link history lists). */
    @GetMapping("/{link}/disclosures")
    public LinkDisclosureReport.Report disclosures(@PathVariable long link) {
        LinkDisclosureReport.Report report = reports.of(link);
        // The request's audit record names both children: the report is in their access reports.
        org.childrensgateway.audit.AuditTrail.current().ifPresent(a -> a.patient(report.source()).patient(report.child()));
        return report;
    }
}
