package org.childrensgateway.audit;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.childrensgateway.fhir.FhirResourceService;
import org.childrensgateway.access.AccessGate;
import org.childrensgateway.access.SystemRepository;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Component;

/**
 * The audit operations: {@code GET /fhir/$verify-audit-chain} recomputes the hash chain, and
 * {@code GET /fhir/Patient/{id}/$access-report} answers "who has seen this child's record" from the
 * AuditEvents naming the patient: who, when, why, never what the record says.
 */
@Component
public class AuditOperationsProvider implements org.childrensgateway.fhir.FhirOperationProvider {

    /** The most accesses one report lists (the newest are kept if there are more). */
    static final int MAX_REPORT = 10_000;

    private final AuditChain chain;
    private final FhirResourceService service;
    /** Only to check the Patient named exists (an auditor's question about anyone's access). */
    private final SystemRepository store;

    private final AccessGate gate;

    public AuditOperationsProvider(AuditChain chain, FhirResourceService service, SystemRepository store, AccessGate gate) {
        this.gate = gate;
        this.chain = chain;
        this.service = service;
        this.store = store;
    }

    @Operation(name = "$verify-audit-chain", idempotent = true)
    public Parameters verifyAuditChain() {
        requireAuditor();
        AuditChain.Verification v = chain.verify();
        Parameters result = new Parameters();
        result.addParameter().setName("result").setValue(new BooleanType(v.intact()));
        result.addParameter().setName("checked").setValue(integer(v.checked()));
        if (v.firstBrokenSeq() != null) {
            result.addParameter().setName("firstBrokenSeq").setValue(integer(v.firstBrokenSeq()));
            result.addParameter().setName("reason").setValue(new StringType(v.reason()));
        }
        return result;
    }

    @Operation(name = "$access-report", idempotent = true, type = Patient.class)
    public Parameters accessReport(@IdParam IdType id) {
        requireAuditor();
        String patient = "Patient/" + id.getIdPart();
        if (!store.exists("Patient", id.getIdPart())) {
            throw new ResourceNotFoundException(new IdType("Patient", id.getIdPart()));
        }
        Map<String, String[]> query = new LinkedHashMap<>();
        query.put("patient", new String[] {patient});
        query.put("_sort", new String[] {"date"});
        var found = service.search("AuditEvent", query, false);
        int total = found.size();
        int from = Math.max(0, total - MAX_REPORT);
        List<IBaseResource> events = found.getResources(from, total);

        Parameters report = new Parameters();
        report.addParameter().setName("patient").setValue(new Reference(patient));
        report.addParameter().setName("total").setValue(new IntegerType(total));
        if (from > 0) {
            report.addParameter().setName("omitted").setValue(new IntegerType(from));
        }
        for (IBaseResource resource : events) {
            report.addParameter(access((AuditEvent) resource));
        }
        return report;
    }

    /** One access: when, what kind, outcome, organisation, role, client, user, purpose, break-glass flag. */
    static ParametersParameterComponent access(AuditEvent event) {
        ParametersParameterComponent access = new ParametersParameterComponent().setName("access");
        access.addPart().setName("when").setValue(new InstantType(event.getRecorded()));
        access.addPart().setName("interaction").setValue(new CodeType(interaction(event)));
        access.addPart().setName("outcome").setValue(new CodeType(event.getOutcome() == null ? "0" : event.getOutcome().toCode()));
        boolean breakGlass = event.getMeta().getSecurity().stream().anyMatch(c -> AuditEventBuilder.BREAK_GLASS.equals(c.getCode()));
        for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
            Identifier who = agent.getWho().getIdentifier();
            if (who == null || !who.hasSystem()) {
                continue;
            }
            switch (who.getSystem()) {
                case AuditEventBuilder.ODS -> access.addPart().setName("organisation").setValue(who.copy());
                case AuditEventBuilder.CLIENT_ID -> access.addPart().setName("client").setValue(new StringType(who.getValue()));
                case AuditEventBuilder.USER_ID -> access.addPart().setName("user").setValue(new StringType(who.getValue()));
                default -> {
                }
            }
            if (agent.getRequestor()) {
                agent.getRole().stream().flatMap(r -> r.getCoding().stream())
                        .filter(c -> AuditEventBuilder.ROLE.equals(c.getSystem()))
                        .forEach(c -> access.addPart().setName("role").setValue(new CodeType(c.getCode())));
            }
        }
        event.getPurposeOfEvent().stream().flatMap(p -> p.getCoding().stream())
                .filter(c -> !AuditEventBuilder.BREAK_GLASS.equals(c.getCode()))
                .forEach(c -> access.addPart().setName("purpose").setValue(new Coding(c.getSystem(), c.getCode(), c.getDisplay())));
        // The flag only: a break-glass reason may itself be safeguarding information.
        access.addPart().setName("breakGlass").setValue(new BooleanType(breakGlass));
        return access;
    }

    private static String interaction(AuditEvent event) {
        return event.getSubtype().stream()
                .filter(c -> AuditEventBuilder.GATEWAY_ACTION.equals(c.getSystem())).map(Coding::getCode).findFirst()
                .or(() -> event.getSubtype().stream().filter(c -> AuditEventBuilder.RESTFUL_INTERACTION.equals(c.getSystem()))
                        .map(Coding::getCode).findFirst())
                .orElse("unknown");
    }

    private static org.hl7.fhir.r4.model.Type integer(long value) {
        return value <= Integer.MAX_VALUE ? new IntegerType((int) value) : new StringType(Long.toString(value));
    }

    /** Audit operations answer questions about everyone's access: they are for the auditor role. */
    private void requireAuditor() {
        if (!gate.isAuditor(org.childrensgateway.security.CallerContext.current().orElse(null))) {
            throw new ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException("This operation is for the auditor role");
        }
    }
}
