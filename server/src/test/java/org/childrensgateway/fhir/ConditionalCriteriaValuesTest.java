package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.childrensgateway.mappers.build.Refs;
import org.childrensgateway.search.SearchParamRegistry;
import org.childrensgateway.search.SearchRequestParser;
import org.childrensgateway.store.SearchQuery;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A feed's conditional URL ({@code Patient?identifier=system|value}, built by the mappers) is read
 * back by the server as exactly one identifier, equal to the source's, whatever the value holds.
 * Built unescaped, {@code %00} became a NUL (a 500 on the extract: FuzzTest seed 7), {@code +} a
 * space and {@code ,} an OR of two identifiers: a match on another record's resource.
 */
class ConditionalCriteriaValuesTest {

    private static final String SYSTEM = "https://fhir.childrens-gateway.uk/Id/rio/RX9/client";
    private static final SearchRequestParser PARSER = new SearchRequestParser(new SearchParamRegistry());

    @ParameterizedTest
    @ValueSource(strings = {"RIO1000125", "A%001", "A+B", "A B", "A,B", "A&identifier=x|y", "A#B", "A\\B", "A|B", "A$B", "%41", "caf\u00e9", "A=B", "A;B"})
    void aValueIsReadBackAsTheOneIdentifierItIs(String value) {
        String criteria = FhirResourceService.criteriaOf("Patient?" + Refs.identifierQuery(SYSTEM, value));
        SearchQuery query = PARSER.parse("Patient", FhirResourceService.queryParameters(criteria), false).query();
        assertThat(query.clauses()).hasSize(1);
        assertThat(query.clauses().get(0).values()).isEqualTo(List.of(SYSTEM + "|" + value));
    }
}
