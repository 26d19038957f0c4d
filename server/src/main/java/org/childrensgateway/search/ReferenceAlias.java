package org.childrensgateway.search;

import java.util.Optional;

/**
 * A reference parameter whose rows would repeat another parameter's: it keeps no index rows of its
 * own and is answered from {@code storedAs}'s rows that point at {@code targetType}. AuditEvent's
 * {@code patient} is {@code AuditEvent.entity.what} restricted to Patients and {@code entity} is
 * {@code AuditEvent.entity.what} of any type (SearchParamRegistry), so every Patient an event names
 * was indexed twice, on every audited request. AuditEvents stored before the alias also have their
 * {@code patient} rows; they are no longer read, and their {@code entity} rows answer the same.
 */
public record ReferenceAlias(String storedAs, String targetType) {

    private static final ReferenceAlias AUDIT_EVENT_PATIENT = new ReferenceAlias("entity", "Patient");

    /** The alias of {@code resourceType}'s reference parameter {@code name}, if it is one. */
    public static Optional<ReferenceAlias> of(String resourceType, String name) {
        return "AuditEvent".equals(resourceType) && "patient".equals(name) ? Optional.of(AUDIT_EVENT_PATIENT) : Optional.empty();
    }

    /** The name the parameter's rows are stored under: its alias's, or its own. */
    public static String storedName(String resourceType, String name) {
        return of(resourceType, name).map(ReferenceAlias::storedAs).orElse(name);
    }
}
