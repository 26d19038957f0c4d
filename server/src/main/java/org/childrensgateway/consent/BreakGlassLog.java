package org.childrensgateway.consent;

import java.util.List;
import org.childrensgateway.security.Caller;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Every use of break-glass, one row per resource seen that consent would have hidden: the data
 * owner is notified through this list, and the request's audit record is flagged.
 */
@Repository
public class BreakGlassLog {

    /** Request attribute set when break-glass released anything in the current request. */
    public static final String USED = "gateway.break-glass-used";

    public record Notification(long id, java.time.Instant at, String ownerOrganisation, String callerOrganisation,
                               String callerRole, String callerClient, String reason, String patient, String resource) {
    }

    private final JdbcClient jdbc;

    public BreakGlassLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Its own transaction: the read it belongs to is read-only, and the notification must stand regardless. */
    @org.springframework.transaction.annotation.Transactional(propagation = org.springframework.transaction.annotation.Propagation.REQUIRES_NEW)
    public void record(Caller caller, Resource resource) {
        jdbc.sql("insert into break_glass_notification (owner_org, caller_org, caller_role, caller_client, reason, patient_ref, resource_ref)"
                        + " values (?, ?, ?, ?, ?, ?, ?)")
                .params(RecordingOrganisation.of(resource).orElse(null), caller.organisation(), caller.role(), caller.clientId(),
                        caller.breakGlass(), PatientOf.reference(resource),
                        resource.fhirType() + "/" + resource.getIdElement().getIdPart())
                .update();
        var attributes = org.springframework.web.context.request.RequestContextHolder.getRequestAttributes();
        if (attributes != null) {
            attributes.setAttribute(USED, Boolean.TRUE, org.springframework.web.context.request.RequestAttributes.SCOPE_REQUEST);
        }
    }

    public List<Notification> forOwner(String organisation, int limit) {
        return jdbc.sql("select * from break_glass_notification where owner_org = ? order by id desc limit ?")
                .params(organisation, limit)
                .query((rs, n) -> new Notification(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("owner_org"),
                        rs.getString("caller_org"), rs.getString("caller_role"), rs.getString("caller_client"), rs.getString("reason"),
                        rs.getString("patient_ref"), rs.getString("resource_ref")))
                .list();
    }
}
