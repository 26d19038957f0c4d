package org.childrensgateway.consent;

import java.util.List;
import org.childrensgateway.security.Caller;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Every use of break-glass: one notification per request and owning organisation, naming the first
 * resource seen and how many were seen. The data owner reviews them at
 * {@code /notifications/break-glass}; the request's audit record is flagged.
 */
@Repository
public class BreakGlassLog {

    /** Request attribute set when break-glass released anything in the current request. */
    public static final String USED = "gateway.break-glass-used";

    public record Notification(long id, java.time.Instant at, String ownerOrganisation, String callerOrganisation,
                               String callerRole, String callerClient, String reason, String patient, String resource,
                               int resourceCount) {
    }

    private final JdbcClient jdbc;

    public BreakGlassLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A new notification for the owner of {@code resource}; its id, for {@link #seenAnother}. Its own
     * transaction: the read it belongs to is read-only, and the notification must stand regardless.
     */
    @org.springframework.transaction.annotation.Transactional(propagation = org.springframework.transaction.annotation.Propagation.REQUIRES_NEW)
    public long notifyOwner(Caller caller, String owner, Resource resource) {
        long id = jdbc.sql("insert into break_glass_notification (owner_org, caller_org, caller_role, caller_client, reason, patient_ref, resource_ref)"
                        + " values (?, ?, ?, ?, ?, ?, ?) returning id")
                .params(owner, caller.organisation(), caller.role(), caller.clientId(),
                        caller.breakGlass(), PatientOf.reference(resource),
                        resource.fhirType() + "/" + resource.getIdElement().getIdPart())
                .query(Long.class).single();
        var attributes = org.springframework.web.context.request.RequestContextHolder.getRequestAttributes();
        if (attributes != null) {
            attributes.setAttribute(USED, Boolean.TRUE, org.springframework.web.context.request.RequestAttributes.SCOPE_REQUEST);
        }
        return id;
    }

    /** The same request was shown another of the same owner's resources. */
    @org.springframework.transaction.annotation.Transactional(propagation = org.springframework.transaction.annotation.Propagation.REQUIRES_NEW)
    public void seenAnother(long notification) {
        jdbc.sql("update break_glass_notification set resource_count = resource_count + 1 where id = ?").param(notification).update();
    }

    public List<Notification> forOwner(String organisation, int limit) {
        return jdbc.sql("select * from break_glass_notification where owner_org = ? order by id desc limit ?")
                .params(organisation, limit)
                .query((rs, n) -> new Notification(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("owner_org"),
                        rs.getString("caller_org"), rs.getString("caller_role"), rs.getString("caller_client"), rs.getString("reason"),
                        rs.getString("patient_ref"), rs.getString("resource_ref"), rs.getInt("resource_count")))
                .list();
    }
}
