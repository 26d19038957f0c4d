package org.childrensgateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.childrensgateway.consent.ConsentDirective;
import org.childrensgateway.consent.RecordingOrganisation;
import org.childrensgateway.fhir.FhirFixtures;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The directives read off a stored Consent's JSON are those {@link ConsentDirective#from} reads off
 * its parse, for every shape of Consent the gateway stores or could be sent (grants, refusals,
 * withdrawals, organisations and kinds of team, labels, purposes, periods, nested provisions,
 * extensions, any member order and layout); and where the reader cannot be sure (unknown members,
 * primitive extensions, modifier extensions, odd values, duplicates) it declines, so the parse decides.
 */
class StoredConsentDirectivesTest {

    private static final String SCOPE = ConsentDirective.SCOPE_SYSTEM;
    private static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
    private static final String LA = "https://fhir.childrens-gateway.uk/Id/organisation";
    private static final String RECORDER = "{\"system\":\"" + RecordingOrganisation.SYSTEM + "\",\"code\":\"RX9\"}";
    private static final String META = "\"meta\":{\"versionId\":\"3\",\"lastUpdated\":\"2026-11-30T10:00:00.000+00:00\",\"tag\":[" + RECORDER + "]}";

    /** A Consent as JSON: {@code members} are the top-level members after resourceType and meta. */
    private static String consent(String members) {
        return "{\"resourceType\":\"Consent\"," + META + "," + members + "}";
    }

    private static String actor(String system, String value) {
        return "{\"role\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"IRCP\"}]},"
                + "\"reference\":{\"identifier\":{\"system\":\"" + system + "\",\"value\":\"" + value + "\"}}}";
    }

    private static final String BASE = "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},"
            + "\"category\":[{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"59284-0\"}]}],\"patient\":{\"reference\":\"Patient/p1\"}";

    static Stream<Arguments> sure() {
        List<String[]> all = new ArrayList<>();
        // What the benchmark and the RiO transaction write.
        all.add(new String[] {"bench grant", consent("\"status\":\"active\"," + BASE + ",\"dateTime\":\"2025-01-15\","
                + "\"policyRule\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"OPTIN\"}]},"
                + "\"provision\":{\"type\":\"permit\",\"period\":{\"start\":\"2025-01-15\",\"end\":\"2035-01-15\"},\"actor\":["
                + actor(SCOPE, "GP") + "," + actor(SCOPE, "HV") + "]}")});
        // The test fixture's shapes: grant, refusal, withdrawal, rejection, open-ended, naming no one.
        all.add(new String[] {"fixture grant", withRecorder(FhirFixtures.consent("p1", "active", "permit", "2026-01-01", "2027-01-01", List.of("EY", "GP")))});
        all.add(new String[] {"fixture refusal", withRecorder(FhirFixtures.consent("p1", "active", "deny", "2026-02-01", null, List.of()))});
        all.add(new String[] {"fixture withdrawal", withRecorder(FhirFixtures.consent("p1", "inactive", "permit", "2026-01-01", "2026-06-01", List.of("GP")))});
        all.add(new String[] {"withdrawal without end", withRecorder(FhirFixtures.consent("p1", "inactive", "permit", "2026-01-01", null, List.of("GP")))});
        all.add(new String[] {"rejected", withRecorder(FhirFixtures.consent("p1", "rejected", "permit", "2026-01-01", "2026-03-01", List.of("HV")))});
        all.add(new String[] {"no recorder", FhirFixtures.consent("p1", "active", "permit", "2026-01-01", null, List.of("HV"))});
        // Decides nothing.
        for (String status : List.of("draft", "proposed", "entered-in-error")) {
            all.add(new String[] {status, withRecorder(FhirFixtures.consent("p1", status, "permit", "2026-01-01", null, List.of("HV")))});
        }
        // The SystmOne mapping's shape: performer, organization, policy, typed references with displays, a withdrawal date-time.
        all.add(new String[] {"mapped withdrawal", consent("\"status\":\"inactive\"," + BASE + ",\"dateTime\":\"2025-03-04T09:15:00+00:00\","
                + "\"performer\":[{\"reference\":\"RelatedPerson/m1\"}],\"organization\":[{\"identifier\":{\"system\":\"" + ODS + "\",\"value\":\"M85001\"}}],"
                + "\"policy\":[{\"uri\":\"https://fhir.childrens-gateway.uk/policy/information-sharing\"}],"
                + "\"provision\":{\"type\":\"permit\",\"period\":{\"start\":\"2025-03-04T09:15:00+00:00\",\"end\":\"2026-05-01\"},"
                + "\"actor\":[{\"role\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"IRCP\","
                + "\"display\":\"information recipient\"}]},\"reference\":{\"type\":\"CareTeam\",\"identifier\":{\"system\":\"" + SCOPE
                + "\",\"value\":\"CC\"},\"display\":\"Children's centres\"}}]}")});
        // Organisations named (ODS and local authority), with and without kinds of team; an actor by reference only.
        all.add(new String[] {"organisations", consent("\"status\":\"active\"," + BASE + ",\"dateTime\":\"2026-04-01T12:00:00Z\","
                + "\"provision\":{\"type\":\"permit\",\"actor\":[" + actor(ODS, "M85001") + "," + actor(LA, "W06000020") + "," + actor(SCOPE, "GP")
                + ",{\"reference\":{\"reference\":\"Organization/o1\"}},{\"role\":{\"text\":\"x\"}},"
                + actor("http://example.org/other", "Z1") + "]}")});
        // Labels the grant covers, purposes it allows.
        all.add(new String[] {"labels and purposes", consent("\"status\":\"active\"," + BASE + ",\"dateTime\":\"2026-04-01\","
                + "\"provision\":{\"type\":\"permit\",\"period\":{\"end\":\"2030-01-01\"},\"actor\":[" + actor(SCOPE, "GP") + "],"
                + "\"securityLabel\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"PSY\"},"
                + "{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"SOC\",\"display\":\"social\"}],"
                + "\"purpose\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\",\"code\":\"TREAT\"}]}")});
        // Nested provisions are not read by either.
        all.add(new String[] {"nested provisions", consent("\"status\":\"active\"," + BASE + ",\"dateTime\":\"2026-04-01\","
                + "\"provision\":{\"type\":\"permit\",\"actor\":[" + actor(SCOPE, "HV") + "],\"provision\":[{\"type\":\"deny\",\"actor\":["
                + actor(SCOPE, "GP") + "],\"securityLabel\":[{\"code\":\"PSY\"}],\"provision\":[{\"type\":\"permit\"}]}],"
                + "\"action\":[{\"coding\":[{\"code\":\"access\"}]}],\"class\":[{\"code\":\"Observation\"}],\"code\":[{\"text\":\"x\"}],"
                + "\"dataPeriod\":{\"start\":\"2020-01-01\"},\"data\":[{\"meaning\":\"related\",\"reference\":{\"reference\":\"Observation/o1\"}}]}")});
        // Periods: start only (no dateTime: the start is when it was given), neither (the epoch), year and month precision.
        all.add(new String[] {"start only", consent("\"status\":\"active\"," + BASE + ",\"provision\":{\"type\":\"deny\",\"period\":{\"start\":\"2026-02-03\"}}")});
        all.add(new String[] {"no dates", consent("\"status\":\"active\"," + BASE + ",\"provision\":{\"actor\":[" + actor(SCOPE, "HV") + "]}")});
        all.add(new String[] {"no provision", consent("\"status\":\"active\"," + BASE + ",\"dateTime\":\"2026\"")});
        all.add(new String[] {"empty provision", consent("\"status\":\"inactive\"," + BASE + ",\"dateTime\":\"2026-05\",\"provision\":{}")});
        all.add(new String[] {"instants with zones", consent("\"status\":\"active\"," + BASE + ",\"dateTime\":\"2026-03-29T01:30:00+01:00\","
                + "\"provision\":{\"period\":{\"start\":\"2026-03-29T00:30:00.123Z\",\"end\":\"2026-10-25T01:30:00-05:00\"}}")});
        // Extensions (the gateway's recorded-by extension, on the provision, an actor, a reference, an identifier) are not read by either.
        all.add(new String[] {"extensions", consent("\"extension\":[{\"url\":\"https://fhir.childrens-gateway.uk/StructureDefinition/Extension-ConsentRecordedBy\","
                + "\"valueReference\":{\"reference\":\"Practitioner/pr1\"}}],\"status\":\"active\"," + BASE + ",\"dateTime\":\"2026-04-01\","
                + "\"provision\":{\"extension\":[{\"url\":\"http://example.org/x\",\"valueString\":\"y\"}],\"id\":\"p\",\"type\":\"permit\","
                + "\"period\":{\"id\":\"pp\",\"extension\":[{\"url\":\"http://example.org/z\",\"valueBoolean\":true}],\"end\":\"2031-01-01\"},"
                + "\"actor\":[{\"id\":\"a\",\"extension\":[{\"url\":\"http://example.org/a\",\"valueCode\":\"c\"}],\"reference\":{\"extension\":[],"
                + "\"identifier\":{\"use\":\"official\",\"extension\":[{\"url\":\"http://example.org/i\",\"valueString\":\"v\"}],\"system\":\"" + SCOPE
                + "\",\"value\":\"EY\",\"period\":{\"start\":\"2020-01-01\"}}}}]}")});
        // Other tags and labels on the Consent; the first recorder tag is the custodian; text, contained, identifiers.
        all.add(new String[] {"tags and more", "{\"resourceType\":\"Consent\",\"id\":\"c1\",\"meta\":{\"security\":[{\"code\":\"R\"}],\"tag\":["
                + "{\"system\":\"http://example.org/t\",\"code\":\"a\"}," + RECORDER + ",{\"system\":\"" + RecordingOrganisation.SYSTEM
                + "\",\"code\":\"M85001\"}]},\"text\":{\"status\":\"generated\",\"div\":\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">c</div>\"},"
                + "\"identifier\":[{\"system\":\"http://example.org/c\",\"value\":\"1\"}],\"status\":\"active\"," + BASE + ",\"dateTime\":\"2026-04-01\","
                + "\"provision\":{\"type\":\"permit\",\"actor\":[" + actor(SCOPE, "GP") + "]}}"});
        // Member order and layout: provision first, meta last, status in between, pretty-printed with tabs and blank lines.
        all.add(new String[] {"order and whitespace", "\n{ \"provision\" :\t{ \"actor\" : [ " + actor(SCOPE, "GP") + " ] ,\n\n \"type\" : \"deny\" ,"
                + " \"period\" : { \"end\" : \"2030-01-01\" , \"start\" : \"2026-01-01\" } } ,\r\n\t\"status\" : \"active\" , \"dateTime\" : \"2026-01-02\" ,"
                + BASE + " , \"resourceType\" : \"Consent\" , " + META + " }\n"});
        return all.stream().map(a -> Arguments.of(a[0], a[1]));
    }

    private static String withRecorder(String consent) {
        return consent.replace("{\"resourceType\": \"Consent\",", "{\"resourceType\": \"Consent\", " + META + ",");
    }

    private static StoredResource stored(String json) {
        return new StoredResource(1L, "Consent", "c1", 3L, Instant.parse("2026-11-30T10:00:00Z"), false, null, json);
    }

    private static List<ConsentDirective> parsed(StoredResource stored) {
        return ConsentDirective.from((Consent) StoredFactsTest.CODEC.decode(stored));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sure")
    void readsWhatTheParseGives(String name, String json) {
        StoredResource stored = stored(json);
        Optional<List<ConsentDirective>> read = StoredConsentDirectives.read(stored);
        assertThat(read).as(name + ": the reader is sure").isPresent();
        assertThat(read.get()).as(name).isEqualTo(parsed(stored));
    }

    /** What the gateway stores is HAPI's encoding of what it was sent: the reader is sure of that too, and reads it alike. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sure")
    void readsTheEncodedFormAsTheParse(String name, String json) {
        StoredResource stored = stored(StoredFactsTest.CODEC.encode(StoredFactsTest.CODEC.decode(stored(json))));
        assertThat(StoredConsentDirectives.read(stored)).as(name).isPresent().contains(parsed(stored));
    }

    /** The table reaches every kind of directive and every field the decision point reads. */
    @Test
    void theTableCoversEveryKindAndField() {
        List<ConsentDirective> all = sure().flatMap(a -> StoredConsentDirectives.read(stored((String) a.get()[1])).orElseThrow().stream()).toList();
        assertThat(all).extracting(ConsentDirective::kind).contains(ConsentDirective.Kind.values());
        assertThat(all).anyMatch(d -> d.custodian() == null).anyMatch(d -> "RX9".equals(d.custodian()));
        assertThat(all).anyMatch(d -> !d.scopes().isEmpty()).anyMatch(d -> !d.organisations().isEmpty())
                .anyMatch(d -> !d.labels().isEmpty()).anyMatch(d -> !d.purposes().isEmpty())
                .anyMatch(d -> d.ends() != null).anyMatch(d -> d.effective().equals(Instant.EPOCH));
        assertThat(sure().filter(a -> StoredConsentDirectives.read(stored((String) a.get()[1])).orElseThrow().isEmpty())).hasSize(3);
    }

    /** JSON the reader cannot be sure it reads as HAPI does: it declines, so the parse decides. */
    @Test
    void declinesWhatOnlyTheParseCanSay() {
        String grant = "\"provision\":{\"type\":\"permit\",\"actor\":[" + actor(SCOPE, "GP") + "]}";
        String[] unsure = {
            // members it does not know, at every level it reads
            consent("\"status\":\"active\",\"unknown\":1," + grant),
            consent("\"status\":\"active\",\"provision\":{\"type\":\"permit\",\"unknown\":true}"),
            consent("\"status\":\"active\",\"provision\":{\"period\":{\"end\":\"2030-01-01\",\"unknown\":\"x\"}}"),
            consent("\"status\":\"active\",\"provision\":{\"actor\":[{\"reference\":{\"identifier\":{\"system\":\"" + SCOPE + "\",\"value\":\"GP\"}},\"who\":1}]}"),
            consent("\"status\":\"active\",\"provision\":{\"actor\":[{\"reference\":{\"identifier\":{\"system\":\"" + SCOPE + "\",\"value\":\"GP\"},\"unknown\":1}}]}"),
            consent("\"status\":\"active\",\"provision\":{\"actor\":[{\"reference\":{\"identifier\":{\"system\":\"" + SCOPE + "\",\"value\":\"GP\",\"unknown\":1}}}]}"),
            consent("\"status\":\"active\",\"provision\":{\"securityLabel\":[{\"code\":\"PSY\",\"unknown\":1}]}"),
            // primitive extensions and modifier extensions
            consent("\"status\":\"active\",\"_status\":{\"extension\":[]}," + grant),
            consent("\"status\":\"active\",\"_dateTime\":{\"extension\":[{\"url\":\"http://example.org/x\",\"valueString\":\"y\"}]}," + grant),
            consent("\"status\":\"active\",\"provision\":{\"type\":\"permit\",\"period\":{\"_end\":{\"id\":\"e\"}}}"),
            consent("\"status\":\"active\",\"provision\":{\"actor\":[{\"reference\":{\"identifier\":{\"system\":\"" + SCOPE + "\",\"_value\":{\"id\":\"v\"}}}}]}"),
            consent("\"status\":\"active\",\"modifierExtension\":[{\"url\":\"http://example.org/m\",\"valueBoolean\":true}]," + grant),
            consent("\"status\":\"active\",\"provision\":{\"type\":\"permit\",\"modifierExtension\":[{\"url\":\"http://example.org/m\",\"valueBoolean\":true}]}"),
            // odd values
            consent("\"status\":\" active\"," + grant),
            consent("\"status\":\"Active\"," + grant),
            consent("\"status\":\"\"," + grant),
            consent("\"status\":null," + grant),
            consent("\"status\":\"active\",\"provision\":{\"type\":\"maybe\"}"),
            consent("\"status\":\"active\",\"provision\":{\"actor\":[" + actor(SCOPE, "GP ") + "]}"),
            consent("\"status\":\"active\",\"dateTime\":\"15/01/2025\"," + grant),
            consent("\"status\":\"active\",\"dateTime\":20250115," + grant),
            consent("\"status\":\"active\",\"provision\":{\"period\":{\"end\":\"\"}}"),
            consent("\"status\":\"active\",\"provision\":{\"actor\":" + actor(SCOPE, "GP") + "}"),
            consent("\"status\":\"active\",\"provision\":{\"actor\":[\"GP\"]}"),
            consent("\"status\":\"active\",\"provision\":[{\"type\":\"permit\"}]"),
            consent("\"status\":\"active\",\"provision\":{\"securityLabel\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\"}]}"),
            consent("\"status\":\"active\",\"provision\":{\"purpose\":[{\"display\":\"treatment\"}]}"),
            // the recorder tag without a code, a meta that is no object
            "{\"resourceType\":\"Consent\",\"meta\":{\"tag\":[{\"system\":\"" + RecordingOrganisation.SYSTEM + "\"}]},\"status\":\"active\"," + grant + "}",
            "{\"resourceType\":\"Consent\",\"meta\":{\"tag\":{\"system\":\"x\",\"code\":\"y\"}},\"status\":\"active\"," + grant + "}",
            "{\"resourceType\":\"Consent\",\"meta\":[],\"status\":\"active\"," + grant + "}",
            // duplicate members, at the top and deeper
            consent("\"status\":\"active\",\"status\":\"inactive\"," + grant),
            consent("\"status\":\"active\",\"provision\":{\"type\":\"permit\",\"type\":\"deny\"}"),
            consent("\"status\":\"active\",\"provision\":{\"actor\":[{\"reference\":{\"identifier\":{\"system\":\"" + SCOPE + "\",\"value\":\"GP\",\"value\":\"HV\"}}}]}"),
            // not a Consent, not JSON
            "{\"resourceType\":\"Observation\",\"status\":\"final\"}",
            "{\"resourceType\":\"Consent\",\"status\":\"active\"} trailing",
            "not json",
        };
        for (String json : unsure) {
            assertThat(StoredConsentDirectives.read(stored(json))).as(json).isEmpty();
        }
        assertThat(StoredConsentDirectives.read(new StoredResource(1L, "Consent", "c1", 2L, Instant.now(), true, null, null))).isEmpty();
        assertThat(StoredConsentDirectives.read(new StoredResource(1L, "Observation", "o1", 2L, Instant.now(), false, null,
                consent("\"status\":\"active\"," + grant)))).isEmpty();
    }
}
