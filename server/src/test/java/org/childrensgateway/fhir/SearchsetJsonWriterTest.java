package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/**
 * The searchset writer against HAPI's encoder, without a server: a Bundle of the members HAPI's
 * Bundle factory sets is written byte for byte as HAPI encodes it when no entry has stored JSON,
 * an entry with stored JSON takes it in the resource's place, and a Bundle carrying anything else
 * (identifier, timestamp, a search score, an extension, an entry's request) is not the writer's.
 */
class SearchsetJsonWriterTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void writesTheBundleAsHapiEncodesIt() throws Exception {
        Bundle bundle = searchset();
        IParser parser = FHIR.newJsonParser();
        assertThat(SearchsetJsonWriter.writable(bundle)).isTrue();
        StringWriter out = new StringWriter();
        SearchsetJsonWriter.write(bundle, r -> null, parser, out);
        assertThat(out.toString()).isEqualTo(parser.encodeResourceToString(bundle));
    }

    @Test
    void anEntryWithStoredJsonIsWrittenFromIt() throws Exception {
        Bundle bundle = searchset();
        String stored = "{\"id\": \"o1\", \"status\": \"final\", \"resourceType\": \"Observation\"}";
        StringWriter out = new StringWriter();
        SearchsetJsonWriter.write(bundle, r -> r.getIdElement().getIdPart().equals("o1") ? stored : null, FHIR.newJsonParser(), out);
        Bundle without = searchset();
        without.getEntry().get(0).setResource(new Observation().setStatus(Observation.ObservationStatus.FINAL));
        without.getEntry().get(0).getResource().setId("o1");
        assertThat(out.toString()).isEqualTo(FHIR.newJsonParser().encodeResourceToString(without));
    }

    @Test
    void aBundleWithAnyOtherMemberIsNotTheWriters() {
        List<Consumer<Bundle>> others = List.of(
                b -> b.getIdentifier().setValue("x"),
                b -> b.setTimestamp(new Date()),
                b -> b.getMeta().addTag().setCode("t"),
                b -> b.getMeta().setSource("s"),
                b -> b.getTotalElement().addExtension("http://x", new StringType("y")),
                b -> b.getLinkFirstRep().addExtension("http://x", new StringType("y")),
                b -> b.getEntryFirstRep().getSearch().setScore(1),
                b -> b.getEntryFirstRep().getRequest().setUrl("Patient"),
                b -> b.getEntryFirstRep().getResponse().setStatus("200"),
                b -> b.getEntryFirstRep().setId("e"),
                b -> b.getEntryFirstRep().setResource(null),
                b -> b.setType(Bundle.BundleType.COLLECTION));
        for (Consumer<Bundle> other : others) {
            Bundle bundle = searchset();
            other.accept(bundle);
            assertThat(SearchsetJsonWriter.writable(bundle)).as(bundle.toString()).isFalse();
        }
    }

    /** A page as HAPI's Bundle factory makes it: a match, an include, paging links. */
    private static Bundle searchset() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(7);
        bundle.setId("b1");
        bundle.getMeta().setLastUpdated(new Date(1_764_700_000_123L));
        bundle.addLink().setRelation("self").setUrl("http://x/fhir/Observation?subject=Patient%2Fp1&_count=1");
        bundle.addLink().setRelation("next").setUrl("http://x/fhir?_getpages=abc&_pageId=d%7Ce");
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL).setSubject(new Reference("Patient/p1"))
                .setValue(new Quantity().setValue(new BigDecimal("11.20")).setUnit("kg"));
        o.setId("o1");
        o.getMeta().setVersionId("2");
        bundle.addEntry().setFullUrl("http://x/fhir/Observation/o1").setResource(o).getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        Patient p = new Patient().addName(new org.hl7.fhir.r4.model.HumanName().setFamily("Ñoño \"q\" </script>"));
        p.setId("p1");
        bundle.addEntry().setFullUrl("http://x/fhir/Patient/p1").setResource(p).getSearch().setMode(Bundle.SearchEntryMode.INCLUDE);
        return bundle;
    }
}
