package org.childrensgateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.childrensgateway.consent.ChildFacts;
import org.childrensgateway.consent.ConsentDecisionPoint;
import org.childrensgateway.consent.ConsentDirective;
import org.childrensgateway.consent.Decision;
import org.childrensgateway.consent.RecordingOrganisation;
import org.childrensgateway.consent.SharingPolicyProperties;
import org.childrensgateway.fhir.DerivedRecords;
import org.childrensgateway.security.Caller;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sharing rules as a table, without Spring: who sees what of a health visitor's records about a child. */
class ConsentDecisionPointTest {

    static final SharingPolicyProperties POLICY = new SharingPolicyProperties(
            Map.of("RX9", new SharingPolicyProperties.Organisation("trust", "health"),
                    "M85001", new SharingPolicyProperties.Organisation("gp", "health"),
                    "W06000020", new SharingPolicyProperties.Organisation("centres", "local-authority"),
                    "W06000020-SC", new SharingPolicyProperties.Organisation("social care", "local-authority")),
            Map.of("health-visitor", new SharingPolicyProperties.Role("health", List.of("HV", "EY"), true, false),
                    "gp", new SharingPolicyProperties.Role("health", List.of("GP"), true, false),
                    "childrens-centre-worker", new SharingPolicyProperties.Role("local-authority", List.of("CC", "EY"), false, false),
                    "social-worker", new SharingPolicyProperties.Role("local-authority", List.of("EY"), true, false),
                    "auditor", new SharingPolicyProperties.Role(null, List.of(), false, true)),
            List.of(new SharingPolicyProperties.Agreement("live-birth-isp", "Live birth", "live-birth", List.of("health"),
                    List.of("childrens-centre-worker"), List.of(), List.of("Patient", "RelatedPerson"),
                    List.of("name", "birthDate", "address"), null, false, null, null)),
            null, null);

    static final ConsentDecisionPoint DECISIONS = new ConsentDecisionPoint(POLICY);
    static final Instant PAST = Instant.now().minus(30, ChronoUnit.DAYS);

    static Caller caller(String org, String role, String breakGlass) {
        return new Caller("c", null, org, role, "TREAT", Set.of("system/*.rs"), breakGlass);
    }

    static Patient child() {
        Patient p = new Patient();
        p.setId("Patient/p1");
        p.addName().setFamily("Jones");
        RecordingOrganisation.stamp(p, "RX9");
        return p;
    }

    static Observation observation(String label, boolean notes) {
        Observation o = new Observation();
        o.setId("Observation/o1");
        o.setSubject(new Reference("Patient/p1"));
        RecordingOrganisation.stamp(o, "RX9");
        if (label != null) {
            o.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-ActCode", label, null);
        }
        if (notes) {
            o.addNote(new Annotation().setText("detailed note"));
        }
        return o;
    }

    static ConsentDirective grant(Set<String> scopes, Set<String> labels, Instant ends) {
        return new ConsentDirective("RX9", PAST, ConsentDirective.Kind.GRANT, scopes, labels, Set.of(), ends, "Consent/g");
    }

    static ConsentDirective refusal() {
        return new ConsentDirective("RX9", PAST.plus(1, ChronoUnit.DAYS), ConsentDirective.Kind.REFUSAL, Set.of("HV", "GP", "CC", "EY"),
                Set.of(), Set.of(), null, "Consent/r");
    }

    static Stream<Arguments> table() {
        Caller gp = caller("M85001", "gp", null);
        Caller centre = caller("W06000020", "childrens-centre-worker", null);
        Caller socialBreakGlass = caller("W06000020-SC", "social-worker", "risk of significant harm");
        Caller centreBreakGlass = caller("W06000020", "childrens-centre-worker", "I say so");
        Caller own = caller("RX9", "health-visitor", null);
        List<ConsentDirective> none = List.of();
        List<ConsentDirective> gpGrant = List.of(grant(Set.of("GP"), Set.of(), null));
        List<ConsentDirective> lapsed = List.of(grant(Set.of("GP"), Set.of(), PAST.plus(2, ChronoUnit.DAYS)));
        List<ConsentDirective> refused = List.of(grant(Set.of("GP"), Set.of(), null), refusal());
        ConsentDirective sameDayRefusal = new ConsentDirective("RX9", PAST, ConsentDirective.Kind.REFUSAL, Set.of("GP"), Set.of(), Set.of(),
                null, "Consent/r2");
        ConsentDirective sameDayWithdrawal = new ConsentDirective("RX9", PAST, ConsentDirective.Kind.WITHDRAWAL, Set.of("GP"), Set.of(),
                Set.of(), null, "Consent/w2");
        ConsentDirective laterGrant = new ConsentDirective("RX9", PAST.plus(2, ChronoUnit.DAYS), ConsentDirective.Kind.GRANT, Set.of("GP"),
                Set.of(), Set.of(), null, "Consent/g2");
        return Stream.of(
                Arguments.of("no caller", null, observation(null, false), none, "no-caller", false),
                Arguments.of("own organisation", own, observation("PSY", true), none, "own-data", true),
                Arguments.of("consented partner", gp, observation(null, false), gpGrant, "consent", true),
                Arguments.of("no consent", gp, observation(null, false), none, "no-consent", false),
                Arguments.of("refused after a grant", gp, observation(null, false), refused, "consent-refused", false),
                Arguments.of("grant and refusal of the same moment, grant recorded first", gp, observation(null, false),
                        List.of(grant(Set.of("GP"), Set.of(), null), sameDayRefusal), "consent-refused", false),
                Arguments.of("grant and refusal of the same moment, refusal recorded first", gp, observation(null, false),
                        List.of(sameDayRefusal, grant(Set.of("GP"), Set.of(), null)), "consent-refused", false),
                Arguments.of("grant and withdrawal of the same moment", gp, observation(null, false),
                        List.of(grant(Set.of("GP"), Set.of(), null), sameDayWithdrawal), "consent-withdrawn", false),
                Arguments.of("a later grant after a refusal", gp, observation(null, false),
                        List.of(grant(Set.of("GP"), Set.of(), null), refusal(), laterGrant), "consent", true),
                Arguments.of("review date passed", gp, observation(null, false), lapsed, "consent-review-passed", false),
                Arguments.of("sensitive on a general consent", gp, observation("PSY", false), gpGrant, "sensitive", false),
                Arguments.of("sensitive named by the consent", gp, observation("PSY", false),
                        List.of(grant(Set.of("GP"), Set.of("PSY"), null)), "consent", true),
                Arguments.of("agreement only: child's name", centre, child(), none, "agreement:live-birth-isp", true),
                Arguments.of("agreement does not cover observations", centre, observation(null, false), none, "no-consent", false),
                Arguments.of("break-glass, eligible role", socialBreakGlass, observation(null, true), none, "break-glass+profession-notes", true),
                Arguments.of("break-glass, ineligible role", centreBreakGlass, observation(null, false), none, "no-consent", false),
                Arguments.of("derived record is never decided whole", gp, derived(), none, "derived-record", false));
    }

    static Resource derived() {
        Patient p = child();
        p.getMeta().addTag(DerivedRecords.TAG_SYSTEM, DerivedRecords.CHILD_RECORD, null);
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String situation, Caller caller, Resource resource, List<ConsentDirective> directives, String rule, boolean disclosed) {
        Decision d = DECISIONS.decide(caller, resource, patient -> directives);
        assertThat(d.rule()).as(situation).isEqualTo(rule);
        assertThat(d.disclosed()).as(situation).isEqualTo(disclosed);
    }

    static final SharingPolicyProperties LIMITED = new SharingPolicyProperties(POLICY.organisations(), POLICY.roles(),
            List.of(new SharingPolicyProperties.Agreement("live-birth-isp", "Live birth", "live-birth", List.of("health"),
                            List.of("childrens-centre-worker"), List.of(), List.of("Patient"), List.of("name", "birthDate", "address"),
                            90, true, List.of("deceased", "restricted", "bereaved"), null),
                    new SharingPolicyProperties.Agreement("health-direct-care", "Direct care", "direct-care", List.of("health"),
                            List.of("gp"), List.of(), List.of("Observation"), List.of(), null, false, null, false)),
            null, Map.of("CC-1", new SharingPolicyProperties.Centre("W06000020", "Pontypool", List.of("NP4 6", "NP44"))));
    static final java.time.LocalDate TODAY = java.time.LocalDate.of(2026, 12, 1);

    static Stream<Arguments> limits() {
        var born = TODAY.minusDays(30);
        return Stream.of(
                Arguments.of("new baby in reach", new ChildFacts(born, "np46ab", false, false, false), true),
                Arguments.of("new baby in a listed district", new ChildFacts(born, "NP44 1AA", false, false, false), true),
                Arguments.of("outside the reach area", new ChildFacts(born, "CF10 1AA", false, false, false), false),
                Arguments.of("no postcode", new ChildFacts(born, null, false, false, false), false),
                Arguments.of("older than the window", new ChildFacts(TODAY.minusDays(91), "NP4 6AB", false, false, false), false),
                Arguments.of("last day of the window", new ChildFacts(TODAY.minusDays(90), "NP4 6AB", false, false, false), true),
                Arguments.of("birth date unknown", new ChildFacts(null, "NP4 6AB", false, false, false), false),
                Arguments.of("deceased", new ChildFacts(born, "NP4 6AB", true, false, false), false),
                Arguments.of("restricted", new ChildFacts(born, "NP4 6AB", false, true, false), false),
                Arguments.of("bereaved family", new ChildFacts(born, "NP4 6AB", false, false, true), false));
    }

    @ParameterizedTest(name = "live-birth agreement: {0}")
    @MethodSource("limits")
    void agreementsHaveLimits(String situation, ChildFacts facts, boolean released) {
        Decision d = new ConsentDecisionPoint(LIMITED).decide(caller("W06000020", "childrens-centre-worker", null), child(),
                p -> List.of(), p -> facts, TODAY);
        assertThat(d.disclosed()).as(situation).isEqualTo(released);
    }

    @org.junit.jupiter.api.Test
    void aRestrictedRecordsAddressIsWithheldFromEveryoneButItsRecorder() {
        ChildFacts restricted = new ChildFacts(TODAY.minusYears(2), "NP4 6AB", false, true, false);
        ConsentDecisionPoint decisions = new ConsentDecisionPoint(LIMITED);
        Decision gp = decisions.decide(caller("M85001", "gp", null), child(), p -> List.of(grant(Set.of("GP"), Set.of(), null)),
                p -> restricted, TODAY);
        assertThat(gp.disclosed()).isTrue();
        assertThat(ElementRelease.releases(gp, "address")).isFalse();
        assertThat(ElementRelease.releases(gp, "name")).isTrue();
        Decision own = decisions.decide(caller("RX9", "health-visitor", null), child(), p -> List.of(), p -> restricted, TODAY);
        assertThat(ElementRelease.releases(own, "address")).isTrue();
        Decision override = decisions.decide(caller("M85001", "gp", "harm"), child(), p -> List.of(grant(Set.of("GP"), Set.of(), null)),
                p -> restricted, TODAY);
        assertThat(override.rule()).isEqualTo("break-glass");
        assertThat(ElementRelease.releases(override, "address")).isTrue();
    }

    @org.junit.jupiter.api.Test
    void aConsentNamingOrganisationsCoversOnlyThemAndADisabledAgreementNoOne() {
        ConsentDirective toM85002 = new ConsentDirective("RX9", PAST, ConsentDirective.Kind.GRANT, Set.of("GP"), Set.of(), Set.of(), null,
                "Consent/o", Set.of("M85002"));
        ConsentDecisionPoint decisions = new ConsentDecisionPoint(LIMITED);
        assertThat(decisions.decide(caller("M85002", "gp", null), observation(null, false), p -> List.of(toM85002)).disclosed()).isTrue();
        assertThat(decisions.decide(caller("M85001", "gp", null), observation(null, false), p -> List.of(toM85002)).rule())
                .isEqualTo("no-consent");
    }

    @org.junit.jupiter.api.Test
    void breakGlassStillKeepsNotesWithinTheRecordingSector() {
        Decision d = DECISIONS.decide(caller("W06000020-SC", "social-worker", "harm"), observation(null, true), p -> List.of());
        assertThat(ElementRelease.releases(d, "note")).isFalse();
        assertThat(ElementRelease.releases(d, "subject")).isTrue();
    }

    @org.junit.jupiter.api.Test
    void liveBirthAgreementReleasesOnlyItsElements() {
        Decision d = DECISIONS.decide(caller("W06000020", "childrens-centre-worker", null), child(), p -> List.of());
        assertThat(ElementRelease.releases(d, "name")).isTrue();
        assertThat(ElementRelease.releases(d, "identifier")).isFalse();
        assertThat(ElementRelease.releases(d, "generalPractitioner")).isFalse();
        assertThat(ElementRelease.releases(d, "meta")).isTrue();
    }
}
