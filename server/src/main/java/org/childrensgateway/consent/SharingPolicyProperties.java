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
 * @param centres         children's centres by CentreCode: the organisation running each and its reach area
 */
@ConfigurationProperties(prefix = "gateway.sharing")
public record SharingPolicyProperties(Map<String, Organisation> organisations, Map<String, Role> roles,
                                      List<Agreement> agreements, List<String> sensitiveLabels, Map<String, Centre> centres) {

    public SharingPolicyProperties {
        organisations = organisations == null ? Map.of() : organisations;
        roles = roles == null ? Map.of() : roles;
        agreements = agreements == null ? List.of() : agreements;
        sensitiveLabels = sensitiveLabels == null ? List.of("PSY", "ETH", "HIV", "SEX", "SDV", "SOC") : sensitiveLabels;
        centres = centres == null ? Map.of() : centres;
    }

    /**
     * A children's centre and the postcode districts ({@code NP44}) and sectors ({@code NP4 6}) it
     * serves: the reach area agreements and notifications are limited to.
     */
    public record Centre(String organisation, String name, List<String> reach) {
        public Centre {
            reach = reach == null ? List.of() : reach;
        }
    }

    /** The centre (code) of {@code organisation} whose reach area holds {@code postcode}, if any. */
    public java.util.Optional<String> centreFor(String organisation, String postcode) {
        return centres.entrySet().stream()
                .filter(e -> e.getValue().organisation() != null && e.getValue().organisation().equals(organisation))
                .filter(e -> ReachArea.covers(e.getValue().reach(), postcode))
                .map(Map.Entry::getKey).sorted().findFirst();
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
     * @param maxAgeDays    if set, only children at most this many days old (live birth: born within the window)
     * @param withinReach   only children whose address is in a reach area of one of the receiving organisation's centres
     * @param excludes      record states it never covers: {@code deceased}, {@code restricted} (v3-Confidentiality
     *                      R or V), {@code bereaved} (a family the source marks as recently bereaved)
     * @param enabled       false: published but not in force (e.g. a direct-care agreement a site has not chosen)
     */
    public record Agreement(String id, String name, String legalBasis, List<String> fromSectors, List<String> toRoles,
                            List<String> purposes, List<String> resourceTypes, List<String> elements, Integer maxAgeDays,
                            boolean withinReach, List<String> excludes, Boolean enabled) {
        public Agreement {
            fromSectors = fromSectors == null ? List.of() : fromSectors;
            toRoles = toRoles == null ? List.of() : toRoles;
            purposes = purposes == null ? List.of() : purposes;
            resourceTypes = resourceTypes == null ? List.of() : resourceTypes;
            elements = elements == null ? List.of() : elements;
            excludes = excludes == null ? List.of() : excludes;
            enabled = enabled == null || enabled;
        }
    }
}
