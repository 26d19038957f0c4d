package org.childrensgateway.security;

import java.util.Set;

/**
 * Who is calling, as established from their access token: the basis of every consent decision and
 * every audit record.
 *
 * @param clientId      the OAuth client (vendor system or app)
 * @param userId        the person using it, when the token names one (user/ scopes), else null
 * @param organisation  ODS code or local-authority code of the caller's organisation
 * @param role          e.g. {@code health-visitor}, {@code gp}, {@code midwife}, {@code childrens-centre-worker},
 *                      {@code social-worker}, {@code integration-engineer}, {@code auditor}, {@code data-quality}
 * @param purposeOfUse  e.g. {@code TREAT}, {@code CAREMGT}, {@code SAFEGUARDING}, {@code AUDIT} (v3 PurposeOfUse codes)
 * @param scopes        SMART v2 scopes granted, e.g. {@code system/Patient.rs}
 * @param breakGlass    the safeguarding reason declared for a break-glass request, else null
 */
public record Caller(String clientId, String userId, String organisation, String role, String purposeOfUse,
                     Set<String> scopes, String breakGlass) {

    public boolean isBreakGlass() {
        return breakGlass != null && !breakGlass.isBlank();
    }

    /** A stable key for what this caller may see, used to keep paging sessions to their owner. */
    public String sessionOwner() {
        return clientId + "|" + (userId == null ? "" : userId) + "|" + organisation + "|" + role + "|" + purposeOfUse
                + "|" + (isBreakGlass() ? "break-glass" : "");
    }
}
