package org.childrensgateway.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.Optional;

/**
 * Where code handling a request finds that request's {@link PendingAudit}. The audit filter opens
 * one for every /fhir, /ingest and /export request on the request's thread; HAPI code can also reach
 * it through {@link #of(RequestDetails)} (kept in the request's user data).
 */
public final class AuditTrail {

    static final String USER_DATA_KEY = PendingAudit.class.getName();
    private static final String BOUND_KEY = PendingAudit.class.getName() + ".bound";
    private static final ThreadLocal<PendingAudit> CURRENT = new ThreadLocal<>();

    private AuditTrail() {
    }

    /** The audit record of the request on this thread, if one is being audited. */
    public static Optional<PendingAudit> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** The audit record of a FHIR request, created (and bound to this thread) if need be. */
    public static PendingAudit of(RequestDetails request) {
        Object existing = request.getUserData().get(USER_DATA_KEY);
        if (existing instanceof PendingAudit pending) {
            return pending;
        }
        PendingAudit pending = CURRENT.get() != null ? CURRENT.get() : new PendingAudit();
        request.getUserData().put(USER_DATA_KEY, pending);
        if (CURRENT.get() == null) {
            CURRENT.set(pending);
            request.getUserData().put(BOUND_KEY, Boolean.TRUE);
        }
        return pending;
    }

    /** Unbinds a record that {@link #of} bound to this thread (when no audit filter opened one). */
    static void release(RequestDetails request) {
        if (request.getUserData().remove(BOUND_KEY) != null) {
            CURRENT.remove();
        }
    }

    static PendingAudit begin() {
        PendingAudit pending = new PendingAudit();
        CURRENT.set(pending);
        return pending;
    }

    static void end() {
        CURRENT.remove();
    }
}
