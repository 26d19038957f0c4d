package org.childrensgateway.search;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.util.ArrayList;
import java.util.List;
import org.childrensgateway.store.IndexRows;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * Index rows extracted by walking plain paths ({@link PlainPath}) are exactly those the FHIRPath
 * engine extracts: same rows, same order, for every resource the mappers make of the vendors'
 * sample files, the search tests' fixtures and edge cases (choice types of every kind, primitives
 * with only an extension, empty and repeated elements, tags, links, a union expression).
 */
class PlainPathTest {

    private static final FhirContext CONTEXT = FhirContext.forR4Cached();

    private final SearchParamRegistry registry = new SearchParamRegistry();
    private final SearchIndexer plain = new SearchIndexer(CONTEXT, registry, true);
    private final SearchIndexer fhirPath = new SearchIndexer(CONTEXT, registry, false);

    @Test
    void everyRegisteredExpressionWithoutAUnionIsAPlainPath() {
        for (SearchParamDefinition param : registry.all()) {
            assertThat(PlainPath.of(param.expression()).isPresent())
                    .as(param.resourceType() + "." + param.name() + ": " + param.expression())
                    .isEqualTo(!param.expression().contains("|"));
        }
        assertThat(PlainPath.of("Patient.name.where(use = 'official')")).isEmpty();
        assertThat(PlainPath.of("Observation.value as Quantity")).isEmpty();
    }

    @Test
    void sampleFilesIndexAsByFhirPath() {
        List<Resource> corpus = samples();
        assertThat(corpus).hasSizeGreaterThan(50);
        corpus.forEach(this::assertSameRows);
    }

    @Test
    void fixturesAndEdgeCasesIndexAsByFhirPath() {
        IParser parser = CONTEXT.newJsonParser();
        List<String> json = new ArrayList<>(List.of(
                SearchFixtures.patient("Jones", "Amelia", "2023-05-14", "female", "CF10 1AA", "https://a|1", "|2", "https://b|3"),
                SearchFixtures.relatedPerson("p1", "https://a|9"),
                SearchFixtures.consent("p1", "active", "59284-0", "2024-01-02T10:00:00Z"),
                SearchFixtures.observation("Patient/p1", "27113001", "vital-signs", "2024-03"),
                SearchFixtures.carePlan("p1", "active", "c1", "2024-01-01", null),
                SearchFixtures.carePlan("p1", "active", "c1", "2024-01-01", "2025-01-01"),
                // choice types of Observation.effective other than dateTime
                """
                {"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "subject": {"reference": "Group/g1"},
                 "effectivePeriod": {"start": "2024-01-01", "end": "2024-02-01"}}""",
                """
                {"resourceType": "Observation", "status": "final", "code": {"coding": [{"code": "a"}, {"system": "s", "code": "b"}]},
                 "effectiveInstant": "2024-01-01T10:00:00.123Z", "subject": {"reference": "http://elsewhere/fhir/Patient/1"}}""",
                """
                {"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "effectiveTiming": {"event": ["2024-01-01"]},
                 "identifier": [{"system": "s"}, {"value": "v"}, {"system": "s", "value": "w"}]}""",
                // primitives with only an extension, empty repeats, tags, links
                """
                {"resourceType": "Patient", "meta": {"tag": [{"system": "t", "code": "child-record"}, {"code": "x"}]},
                 "_birthDate": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown"}]},
                 "_gender": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown"}]},
                 "name": [{"given": ["A", "B"], "_given": [null, {"extension": [{"url": "u", "valueString": "y"}]}], "prefix": ["Dr"]},
                          {"text": "Only Text"}, {"family": "Évans"}],
                 "address": [{"postalCode": "np4 6ab"}, {"city": "Cardiff", "line": ["1", "2"]}],
                 "link": [{"other": {"reference": "Patient/p2"}, "type": "seealso"}, {"other": {"reference": "RelatedPerson/r1"}, "type": "refer"}]}""",
                """
                {"resourceType": "Consent", "status": "active", "scope": {"text": "s"}, "category": [{"text": "no coding"}],
                 "patient": {"reference": "Patient/p1"}}""",
                """
                {"resourceType": "EpisodeOfCare", "status": "active", "patient": {"reference": "Patient/p1"},
                 "managingOrganization": {"reference": "Organization/o1"}, "identifier": [{"system": "s", "value": "e1"}]}""",
                """
                {"resourceType": "Organization", "name": "Same", "alias": ["Same", "Other"], "identifier": [{"value": "ods"}]}""",
                """
                {"resourceType": "Provenance", "target": [{"reference": "Patient/p1"}, {"reference": "Observation/o1"}],
                 "recorded": "2024-01-01T00:00:00Z", "agent": [{"who": {"reference": "Organization/o1"}}]}""",
                """
                {"resourceType": "Practitioner", "identifier": [{"system": "s", "value": "1"}], "name": [{"family": "Who", "given": ["Doctor"]}]}"""));
        for (String j : json) {
            assertSameRows((Resource) parser.parseResource(j));
        }
    }

    private void assertSameRows(Resource resource) {
        IndexRows expected = fhirPath.index(resource);
        IndexRows actual = plain.index(resource);
        String what = resource.fhirType() + " " + resource.getIdElement().getIdPart();
        assertThat(actual.tokens).as(what + " tokens").containsExactlyElementsOf(expected.tokens);
        assertThat(actual.strings).as(what + " strings").containsExactlyElementsOf(expected.strings);
        assertThat(actual.dates).as(what + " dates").containsExactlyElementsOf(expected.dates);
        assertThat(actual.references).as(what + " references").containsExactlyElementsOf(expected.references);
    }

    private static List<Resource> samples() {
        return org.childrensgateway.ingest.MappedSamples.resources();
    }
}
