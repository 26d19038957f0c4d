package org.childrensgateway.mappers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.childrensgateway.profiles.ProfileValidatorFactory;
import org.childrensgateway.profiles.ValidationIssue;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * Growth measurements from the feeds are R4 vital signs: each mapped weight, height and head
 * circumference meets the R4 vital-signs profile it implies (category, LOINC code, UCUM unit) as
 * well as GrowthObservation. RiO's height (SNOMED CT 50373000 alone) used to fail R4 bodyheight.
 */
class VitalSignsMappingTest {

    private static List<ValidationIssue> errors(Observation o) {
        Observation copy = o.copy();
        copy.setSubject(new Reference("Patient/child-1")); // as stored: the conditional reference is resolved
        return ProfileValidatorFactory.shared().validateWithDefaultProfile(copy); // ChildObservation, as on write
    }

    @Test
    void rioWeightAndHeightAreConformantVitalSigns() {
        List<MappedRecord> records = Samples.read("rio", "assessments", "rio-assessments.csv");
        for (String id : List.of("A-9001", "A-9002")) {
            Observation o = InboundSamplesTest.of(Samples.bySource(records, id), Observation.class).get(0);
            assertThat(o.getCategoryFirstRep().getCodingFirstRep().getCode()).as(id).isEqualTo("vital-signs");
            assertThat(o.getCode().getCoding()).as(id).anySatisfy(c -> assertThat(c.getSystem()).isEqualTo("http://loinc.org"));
            assertThat(o.getCode().getCodingFirstRep().getSystem()).as("the source's own coding stays first").isEqualTo("http://snomed.info/sct");
            assertThat(errors(o)).as(id).isEmpty();
        }
    }

    @Test
    void systmOneWeightEventIsAConformantVitalSign() {
        List<MappedRecord> records = Samples.read("systmone", "extract", "systmone-extract.xml");
        List<Observation> weights = records.stream().flatMap(r -> InboundSamplesTest.of(r, Observation.class).stream())
                .filter(o -> o.getCode().getCoding().stream().anyMatch(c -> "27113001".equals(c.getCode()))).toList();
        assertThat(weights).isNotEmpty();
        weights.forEach(o -> assertThat(errors(o)).isEmpty());
    }

    @Test
    void nonGrowthObservationsAreNotMadeVitalSigns() {
        List<MappedRecord> records = Samples.read("rio", "assessments", "rio-assessments.csv");
        Stream.of("A-9003", "A-9005").map(id -> InboundSamplesTest.of(Samples.bySource(records, id), Observation.class).get(0))
                .forEach(o -> assertThat(o.getCategory()).isEmpty());
    }
}
