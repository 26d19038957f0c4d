package org.childrensgateway.consent;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.childrensgateway.security.Caller;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * THE sharing rules, in one place, in the order they apply. Every way out asks this class, through the
 * access gate ({@code org.childrensgateway.access.GatedRepository}). When in doubt the answer is no.
 * <ol>
 * <li>no caller: deny;</li>
 * <li>audit records: auditors only;</li>
 * <li>directory data (organisations, practitioners): permit;</li>
 * <li>derived records (child and carer records): never decided whole here; the access gate composes
 *     them per caller from the source records this class releases;</li>
 * <li>own data (the caller's organisation recorded it): permit;</li>
 * <li>resources about no identifiable child: deny;</li>
 * <li>consent: the latest decision the recording organisation holds for the child that names the
 *     caller's consent scope decides; a refusal or withdrawal overrides earlier grants; a grant past
 *     its review date no longer permits; sensitive items need a grant that names their label;</li>
 * <li>information-sharing agreements (e.g. live-birth data: name, date of birth, address only);</li>
 * <li>break-glass: an eligible role declaring a safeguarding reason sees what the above withheld;</li>
 * <li>otherwise deny. Detailed notes are removed when they cross from health to local authority or back.</li>
 * </ol>
 */
@Component
public class ConsentDecisionPoint {

    /** The rule name of a break-glass release (its base; notes removal may add a suffix). */
    public static final String BREAK_GLASS = "break-glass";

    private final SharingPolicyProperties policy;

    public ConsentDecisionPoint(SharingPolicyProperties policy) {
        this.policy = policy;
    }

    /** For callers that need no agreement limits (tests of the plain rules): the child's facts are unknown. */
    public Decision decide(Caller caller, Resource resource, Function<String, List<ConsentDirective>> directives) {
        return decide(caller, resource, directives, ref -> ChildFacts.UNKNOWN, java.time.LocalDate.now());
    }

    /**
     * @param directives the consent directives recorded for a child, by patient reference (loaded lazily)
     * @param facts      what agreements with limits need about the child, by patient reference (loaded lazily)
     * @param today      the date ages are reckoned on
     */
    public Decision decide(Caller caller, Resource resource, Function<String, List<ConsentDirective>> directives,
                           Function<String, ChildFacts> facts, java.time.LocalDate today) {
        return decide(caller, DecisionFacts.of(resource), directives, facts, today);
    }

    /**
     * The decision from the facts of the resource alone (what a parsed resource gives, or what its
     * stored JSON says): every rule reads the resource only through them.
     */
    public Decision decide(Caller caller, DecisionFacts resource, Function<String, List<ConsentDirective>> directives,
                           Function<String, ChildFacts> facts, java.time.LocalDate today) {
        if (caller == null || caller.organisation() == null) {
            return Decision.deny("no-caller", "no authenticated caller");
        }
        SharingPolicyProperties.Role role = policy.roles().get(caller.role());
        String type = resource.type();
        if (type.equals("AuditEvent")) {
            return role != null && role.auditor() ? Decision.permit("audit-records", "auditor role")
                    : Decision.deny("audit-records", "audit records are for auditors only");
        }
        if (type.equals("Organization") || type.equals("Practitioner")) {
            return Decision.permit("directory", "directory data");
        }
        if (resource.derived()) {
            // Composed per caller from the sources they may see, by the access gate; never decided whole.
            return Decision.deny("derived-record", "a derived record is released only as composed from its sources");
        }
        Optional<String> recorder = Optional.ofNullable(resource.recorder());
        if (recorder.isPresent() && recorder.get().equals(caller.organisation())) {
            return Decision.permit("own-data", "recorded by the caller's organisation");
        }
        String patient = resource.patient();
        if (patient == null) {
            return Decision.deny("no-patient", type + " not about an identifiable child");
        }
        // The child's facts cost a lookup: read only when an agreement's limits or an address need them.
        java.util.function.Supplier<ChildFacts> child = new java.util.function.Supplier<>() {
            private ChildFacts known;

            @Override
            public ChildFacts get() {
                if (known == null) {
                    known = facts.apply(patient);
                }
                return known;
            }
        };
        Decision withoutBreakGlass = shared(caller, role, resource, recorder.orElse(null), directives.apply(patient), child, today);
        boolean breaksGlass = caller.isBreakGlass() && role != null && role.breakGlass();
        if (withoutBreakGlass.disclosed()) {
            Decision limited = withoutRestrictedAddress(withoutBreakGlass, resource, child);
            if (limited != withoutBreakGlass && breaksGlass) {
                // Only the override shows a restricted record's address: flagged and notified as break-glass.
                return notesWithinSector(caller, role, recorder.orElse(null), resource,
                        Decision.permit(BREAK_GLASS, "safeguarding override declared; restricted address withheld by " + limited.rule()));
            }
            return limited;
        }
        if (breaksGlass) {
            // Break-glass overrides consent, not the rule that notes stay within the recording profession.
            return notesWithinSector(caller, role, recorder.orElse(null), resource,
                    Decision.permit(BREAK_GLASS, "safeguarding override declared; withheld by " + withoutBreakGlass.rule()));
        }
        return withoutBreakGlass;
    }

    /** Whether the caller's role may break the glass at all (an ineligible role's declaration is a refused attempt). */
    public boolean mayBreakGlass(Caller caller) {
        SharingPolicyProperties.Role role = caller == null ? null : policy.roles().get(caller.role());
        return role != null && role.breakGlass();
    }

    public boolean isAuditor(Caller caller) {
        SharingPolicyProperties.Role role = caller == null ? null : policy.roles().get(caller.role());
        return role != null && role.auditor();
    }

    private Decision shared(Caller caller, SharingPolicyProperties.Role role, DecisionFacts resource, String recorder,
                            List<ConsentDirective> directives, java.util.function.Supplier<ChildFacts> child, java.time.LocalDate today) {
        List<String> callerScopes = role == null ? List.of() : role.consentScopes();
        Set<String> sensitive = sensitiveLabels(resource);
        Optional<ConsentDirective> latest = directives.stream()
                .filter(d -> recorder != null && recorder.equals(d.custodian()))
                .filter(d -> d.covers(caller.organisation(), callerScopes))
                // The latest decision wins; of two made at the same moment (often a day: Consent.dateTime
                // is commonly a date), a refusal or withdrawal beats a grant whichever was recorded first.
                .max(Comparator.comparing(ConsentDirective::effective).thenComparing(d -> d.kind() != ConsentDirective.Kind.GRANT));
        String refusal = null;
        if (latest.isPresent()) {
            ConsentDirective d = latest.get();
            switch (d.kind()) {
                case REFUSAL -> refusal = "consent-refused";
                case WITHDRAWAL -> refusal = "consent-withdrawn";
                case GRANT -> {
                    if (d.ends() != null && d.ends().isBefore(Instant.now())) {
                        refusal = "consent-review-passed";
                    } else if (!d.purposes().isEmpty() && !d.purposes().contains(caller.purposeOfUse())) {
                        refusal = "consent-purpose";
                    } else if (!sensitive.isEmpty() && !d.labels().containsAll(sensitive)) {
                        return Decision.deny("sensitive", "sensitive item " + sensitive + " needs consent that names it");
                    } else {
                        return notesWithinSector(caller, role, recorder, resource,
                                Decision.permit("consent", "consent " + d.consentId() + " permits " + callerScopes)
                                        .withPolicy(d.consentId()));
                    }
                }
            }
        }
        if (sensitive.isEmpty()) {
            for (SharingPolicyProperties.Agreement a : policy.agreements()) {
                if (agreementApplies(a, caller, recorder, resource.type()) && withinLimits(a, caller, child.get(), today)) {
                    Decision d = a.elements().isEmpty()
                            ? Decision.permit("agreement:" + a.id(), a.name())
                            : Decision.keepOnly("agreement:" + a.id(), a.name() + " releases " + a.elements() + " only", a.elements());
                    return notesWithinSector(caller, role, recorder, resource, d);
                }
            }
        }
        if (!sensitive.isEmpty()) {
            return Decision.deny("sensitive", "sensitive item " + sensitive + " needs explicit permission");
        }
        return refusal != null ? Decision.deny(refusal, "withheld: " + refusal.replace('-', ' '))
                : Decision.deny("no-consent", "no consent or agreement permits this sharing");
    }

    private boolean agreementApplies(SharingPolicyProperties.Agreement a, Caller caller, String recorder, String type) {
        String sector = sectorOf(recorder);
        return a.enabled() && sector != null && a.fromSectors().contains(sector) && a.toRoles().contains(caller.role())
                && (a.purposes().isEmpty() || a.purposes().contains(caller.purposeOfUse())) && a.resourceTypes().contains(type);
    }

    /**
     * An agreement's limits on which children it covers: age (born within the window), the receiving
     * organisation's reach area, and record states it never covers. Unknown facts fail closed.
     */
    boolean withinLimits(SharingPolicyProperties.Agreement a, Caller caller, ChildFacts child, java.time.LocalDate today) {
        if (a.maxAgeDays() != null && (child.birthDate() == null || child.birthDate().isAfter(today)
                || child.birthDate().plusDays(a.maxAgeDays()).isBefore(today))) {
            return false;
        }
        if (a.withinReach() && policy.centreFor(caller.organisation(), child.postcode()).isEmpty()) {
            return false;
        }
        return !(a.excludes().contains("deceased") && child.deceased())
                && !(a.excludes().contains("restricted") && child.restricted())
                && !(a.excludes().contains("bereaved") && child.bereaved());
    }

    /**
     * A child whose record is marked restricted (v3-Confidentiality R or V: adoption, refuge) has the
     * address of their record and their carers' withheld from every organisation but the recorder
     * (break-glass apart), whatever else is shared.
     */
    private static Decision withoutRestrictedAddress(Decision decision, DecisionFacts resource, java.util.function.Supplier<ChildFacts> child) {
        boolean located = resource.located();
        if (!located || !decision.disclosed() || !child.get().restricted()) {
            return decision;
        }
        String rule = decision.rule() + "+restricted-address";
        String detail = decision.detail() + "; the address of a restricted record stays with its recorder";
        return switch (decision.effect()) {
            case PERMIT -> Decision.remove(rule, detail, List.of("address")).withPolicy(decision.policy());
            case REDUCE -> decision.removeListed()
                    ? Decision.remove(rule, detail, java.util.stream.Stream.concat(decision.elements().stream(), java.util.stream.Stream.of("address"))
                            .distinct().toList()).withPolicy(decision.policy())
                    : Decision.keepOnly(rule, detail, decision.elements().stream().filter(e -> !e.equals("address")).toList())
                            .withPolicy(decision.policy());
            case DENY -> decision;
        };
    }

    /** Detailed notes are written for a profession: they stay within the sector that wrote them. */
    private Decision notesWithinSector(Caller caller, SharingPolicyProperties.Role role, String recorder, DecisionFacts resource,
                                       Decision decision) {
        if (!resource.notes() || role == null || role.sector() == null || role.sector().equals(sectorOf(recorder))) {
            return decision;
        }
        if (decision.effect() == Decision.Effect.REDUCE && !decision.removeListed()) {
            return decision; // keep-only lists never include notes
        }
        return Decision.remove(decision.rule() + "+profession-notes", decision.detail() + "; notes restricted to the recording profession",
                List.of("note")).withPolicy(decision.policy());
    }

    private String sectorOf(String organisation) {
        SharingPolicyProperties.Organisation org = organisation == null ? null : policy.organisations().get(organisation);
        return org == null ? null : org.sector();
    }

    private Set<String> sensitiveLabels(DecisionFacts resource) {
        return resource.securityCodes().stream().filter(policy.sensitiveLabels()::contains)
                .collect(java.util.stream.Collectors.toSet());
    }
}
