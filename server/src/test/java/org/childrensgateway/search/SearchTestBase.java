package org.childrensgateway.search;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Helpers for search tests. Every search names the resources a test created (by {@code _id},
 * a unique identifier or a unique patient), because all test classes share one database.
 */
abstract class SearchTestBase extends GatewayTestBase {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    /** Every tag of the person index's record-kind system (child-record, carer-record). */
    protected static final String DERIVED_TAGS = "https://fhir.childrens-gateway.uk/CodeSystem/record-kind|";
    private static final java.util.Set<String> DERIVED_TYPES = java.util.Set.of("Patient", "RelatedPerson");

    /** REST Assured would otherwise send a fhir+json body as ISO-8859-1, mangling "Siân". */
    protected RequestSpecification fhirUtf8() {
        return fhir().contentType("application/fhir+json; charset=UTF-8");
    }

    protected String create(String type, String json) {
        Response response = fhirUtf8().body(json).post("/" + type);
        assertThat(response.statusCode()).as("create %s: %s", type, response.asString()).isEqualTo(201);
        return response.jsonPath().getString("id");
    }

    /** GET {@code /type?k1=v1&k2=v2...}; a key may repeat (e.g. {@code birthdate=ge..&birthdate=lt..}). */
    protected Response get(String type, String... keyValues) {
        RequestSpecification request = fhir();
        if (DERIVED_TYPES.contains(type) && java.util.Arrays.stream(keyValues).noneMatch(k -> k.startsWith("_tag"))) {
            // These tests search what they wrote; the person index's derived child and carer records are left out.
            request = request.queryParam("_tag:not", DERIVED_TAGS);
        }
        for (int i = 0; i < keyValues.length; i += 2) {
            request = request.queryParam(keyValues[i], keyValues[i + 1]);
        }
        return request.get("/" + type);
    }

    protected Bundle bundle(Response response) {
        assertThat(response.statusCode()).as("search: %s", response.asString()).isEqualTo(200);
        return parse(response.asString(), Bundle.class);
    }

    /** Ids of the {@code match} entries, in bundle order. */
    protected List<String> matches(String type, String... keyValues) {
        return matchIds(bundle(get(type, keyValues)));
    }

    protected static List<String> matchIds(Bundle bundle) {
        return bundle.getEntry().stream()
                .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .map(e -> e.getResource().getIdElement().getIdPart())
                .toList();
    }

    /** {@code Type/id} of the {@code include} entries. */
    protected static List<String> includeRefs(Bundle bundle) {
        return bundle.getEntry().stream()
                .filter(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE)
                .map(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue())
                .toList();
    }

    protected static String ids(String... ids) {
        return String.join(",", ids);
    }

    /** Asserts an OperationOutcome with the status given and returns its diagnostics, joined. */
    protected static String outcome(Response response, int status) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        OperationOutcome oo = parse(response.asString(), OperationOutcome.class);
        assertThat(oo.getIssue()).isNotEmpty();
        return String.join(" ", oo.getIssue().stream().map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics).toList());
    }

    protected static <T extends org.hl7.fhir.instance.model.api.IBaseResource> T parse(String json, Class<T> type) {
        return FHIR.newJsonParser().parseResource(type, json);
    }
}
