package org.childrensgateway.store;

import java.util.Set;

/**
 * Resource types whose one version is never superseded: AuditEvents are append-only (the API offers
 * only read and search, database triggers refuse UPDATE and DELETE), so a history copy would only
 * duplicate the current row (a heap row with the whole jsonb and four index entries on every audited
 * request). They keep none; vread of version 1 and {@code _history} read the current row. Copies
 * written before this (equal to the current row, which {@code $verify-audit-chain} checks) stay and
 * are not read.
 */
public final class SingleVersionTypes {

    private static final Set<String> TYPES = Set.of("AuditEvent");

    private SingleVersionTypes() {
    }

    public static boolean contains(String type) {
        return TYPES.contains(type);
    }

    static String[] array() {
        return TYPES.toArray(String[]::new);
    }
}
