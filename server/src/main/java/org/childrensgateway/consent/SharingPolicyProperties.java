package org.childrensgateway.consent;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The sharing policy as configuration (data, not code): who the organisations and roles are, which
 * consent scope each role falls under, and the information-sharing agreements.
 *
 * @param organisations   organisation code to its name and sector ({@code health} or {@code local-authority})
 * @param roles           role to its sector, the consent-scope codes that cover it, and whether it may break glass
 * @param agreements      information-sharing agreements that permit sharing without case-by-case consent
 * @param sensitiveLabels security labels that need explicit permission (consent naming the label)
 */
@ConfigurationProperties(prefix = "gateway.sharing")
public record SharingPolicyProperties(Map<String, Organisation> organisations, Map<String, Role> roles,
                                      List<Agreement> agreements, List<String> sensitiveLabels) {

    public SharingPolicyProperties {
        organisations = organisations == null ? Map.of() : organisations;
        roles = roles == null ? Map.of() : roles;
        agreements = agreements == null ? List.of() : agreements;
        sensitiveLabels = sensitiveLabels == null ? List.of("PSY", "ETH", "HIV", "SEX", "SDV", "SOC") : sensitiveLabels;
    }

    public record Organisation(String name, String sector) {
    }

    /**
     * @param sector       {@code health} or {@code local-authority}: detailed notes stay within a sector
     * @param consentScopes consent-scope codes (HV, MW, GP, SALT, SN, CC, EY) a consent must name to cover this role
     * @param breakGlass   may declare a safeguarding reason to see what consent would hide
     * @param auditor      may read audit records and decision explanations
     */
    public record Role(String sector, List<String> consentScopes, boolean breakGlass, boolean auditor) {
        public Role {
            consentScopes = consentScopes == null ? List.of() : consentScopes;
        }
    }

    /**
     * An information-sharing agreement.
     *
     * @param id            stable identifier, named in decisions and audit
     * @param legalBasis    {@code consent}, {@code live-birth}, {@code safeguarding} or {@code statutory}
     * @param fromSectors   sectors whose data it covers
     * @param toRoles       roles that may receive it
     * @param purposes      purposes of use it allows (empty: any)
     * @param resourceTypes data categories it covers
     * @param elements      if set, only these elements are released (others removed)
     */
    public record Agreement(String id, String name, String legalBasis, List<String> fromSectors, List<String> toRoles,
                            List<String> purposes, List<String> resourceTypes, List<String> elements) {
        public Agreement {
            fromSectors = fromSectors == null ? List.of() : fromSectors;
            toRoles = toRoles == null ? List.of() : toRoles;
            purposes = purposes == null ? List.of() : purposes;
            resourceTypes = resourceTypes == null ? List.of() : resourceTypes;
            elements = elements == null ? List.of() : elements;
        }
    }
}
