package org.childrensgateway.mappers.build;

import java.util.Map;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;

/**
 * FHIR R4 makes a growth measurement a vital sign: an Observation coded as body weight, height or
 * head circumference SHALL conform to the R4 vital-signs profile for it (bodyweight, bodyheight,
 * headcircum), which requires category {@code vital-signs}, the profile's LOINC code and a UCUM
 * unit. Sources code these in SNOMED CT or LOINC; this adds what the profile needs and the source
 * did not send (the source's own coding stays first, so reverse mapping is unchanged). The unit is
 * the source's: a measurement without a UCUM unit still fails validation and is quarantined.
 */
public final class VitalSigns {

    public static final String LOINC = "http://loinc.org";
    public static final String CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";

    /** SNOMED CT or LOINC growth code -> the LOINC code (and display) of its R4 vital-signs profile. */
    private static final Map<String, String[]> LOINC_FOR = Map.of(
            Fhir.SNOMED + "|27113001", new String[] {"29463-7", "Body weight"},
            Fhir.SNOMED + "|50373000", new String[] {"8302-2", "Body height"},
            Fhir.SNOMED + "|1149101003", new String[] {"8302-2", "Body height"},
            Fhir.SNOMED + "|248334005", new String[] {"8302-2", "Body height"},
            Fhir.SNOMED + "|363812007", new String[] {"9843-4", "Head Occipital-frontal circumference"},
            LOINC + "|29463-7", new String[] {"29463-7", "Body weight"},
            LOINC + "|8302-2", new String[] {"8302-2", "Body height"},
            LOINC + "|9843-4", new String[] {"9843-4", "Head Occipital-frontal circumference"});

    /** LOINC codes of the R4 vital-signs profiles (panel, respiratory and heart rate, SpO2, temperature, height, head, weight, BMI, BP). */
    private static final java.util.Set<String> R4_VITAL_SIGNS_LOINC = java.util.Set.of("85353-1", "9279-1", "8867-4", "2708-6",
            "59408-5", "8310-5", "8302-2", "9843-4", "29463-7", "39156-5", "85354-9", "8480-6", "8462-4");

    private VitalSigns() {
    }

    /**
     * If the Observation is a growth measurement, adds the LOINC code it lacks; if it is any R4 vital
     * sign (a site may map to LOINC heart rate, temperature, BMI...), the vital-signs category.
     */
    public static void complete(Observation o) {
        String[] loinc = o.getCode().getCoding().stream().map(c -> LOINC_FOR.get(c.getSystem() + "|" + c.getCode()))
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        if (loinc != null && o.getCode().getCoding().stream().noneMatch(c -> LOINC.equals(c.getSystem()) && loinc[0].equals(c.getCode()))) {
            o.getCode().addCoding(new Coding(LOINC, loinc[0], loinc[1]));
        }
        boolean vitalSign = o.getCode().getCoding().stream()
                .anyMatch(c -> LOINC.equals(c.getSystem()) && R4_VITAL_SIGNS_LOINC.contains(c.getCode()));
        if (!vitalSign) {
            return;
        }
        boolean categorised = o.getCategory().stream().flatMap(cc -> cc.getCoding().stream())
                .anyMatch(c -> CATEGORY_SYSTEM.equals(c.getSystem()) && "vital-signs".equals(c.getCode()));
        if (!categorised) {
            o.addCategory(new CodeableConcept(new Coding(CATEGORY_SYSTEM, "vital-signs", "Vital Signs")));
        }
    }
}
