package org.childrensgateway.mappers.differential;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic children in the benchmark's reference mix (bench Population: Patient,
 * RelatedPerson, Consent, four growth Observations, CarePlan), as FHIR JSON. Synthetic names and
 * 999-range NHS numbers with a valid check digit.
 */
final class ReferenceMix {

  private static final String[] GIVEN = {"Amelia", "Olivia", "Isla", "Seren", "Cerys", "Ffion", "Oliver", "Noah", "Osian", "Rhys"};
  private static final String[] FAMILY = {"Jones", "Williams", "Davies", "Evans", "Thomas", "ap Dafydd", "O'Neill", "Price"};
  private static final String[] TOWNS = {"Pontypool", "Cwmbran", "Blaenavon"};

  private final long seed;

  ReferenceMix(long seed) {
    this.seed = seed;
  }

  List<String> resources(int i) {
    Random r = new Random(seed * 1_000_003L + i);
    String nhs = nhsNumber(999_000_000L + i * 7L);
    boolean female = r.nextBoolean();
    String given = GIVEN[r.nextInt(GIVEN.length)];
    String family = FAMILY[r.nextInt(FAMILY.length)];
    LocalDate dob = LocalDate.of(2019, 1, 1).plusDays(r.nextInt(6 * 365));
    String ref = "Patient/p" + i;
    List<String> out = new ArrayList<>();
    out.add("""
        {"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"},\
        {"system":"https://fhir.childrens-gateway.uk/Id/rio/RX9/client","value":"BR%d"}],\
        "name":[{"use":"official","family":"%s","given":["%s"]}],"gender":"%s","birthDate":"%s",\
        "address":[{"line":["%d Mill Lane"],"city":"%s","postalCode":"NP4 %dAB"}]}"""
        .formatted(nhs, 1_000_000 + i, family, given, female ? "female" : "male", dob, 1 + r.nextInt(150),
            TOWNS[r.nextInt(TOWNS.length)], r.nextInt(10)));
    out.add("""
        {"resourceType":"RelatedPerson","active":true,"identifier":[{"system":"https://fhir.childrens-gateway.uk/Id/rio/RX9/carer","value":"C%d"}],\
        "patient":{"reference":"%s"},\
        "relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"MTH","display":"mother"}]}],\
        "name":[{"family":"%s","given":["%s"]}],"telecom":[{"system":"phone","value":"07700 9%05d"}]}"""
        .formatted(i, ref, family, GIVEN[r.nextInt(GIVEN.length)], r.nextInt(100_000)));
    out.add("""
        {"resourceType":"Consent","status":"active",\
        "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},\
        "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],\
        "patient":{"reference":"%s"},"dateTime":"2025-01-15",\
        "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTIN"}]},\
        "provision":{"type":"permit","period":{"start":"2025-01-15","end":"2035-01-15"},"actor":[\
        {"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},\
        "reference":{"identifier":{"system":"https://fhir.childrens-gateway.uk/CodeSystem/consent-scope","value":"GP"}}}]}}"""
        .formatted(ref));
    String[][] growth = {{"27113001", "29463-7", "kg"}, {"50373000", "8302-2", "cm"}, {"363812007", "9843-4", "cm"}, {"27113001", "29463-7", "kg"}};
    for (int k = 0; k < 4; k++) {
      double value = growth[k][2].equals("kg") ? 8 + r.nextInt(120) / 10.0 : 40 + r.nextInt(600) / 10.0;
      out.add("""
          {"resourceType":"Observation","status":"final",\
          "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],\
          "code":{"coding":[{"system":"http://snomed.info/sct","code":"%s"},{"system":"http://loinc.org","code":"%s"}]},\
          "subject":{"reference":"%s"},"effectiveDateTime":"%sT10:30:00Z",\
          "valueQuantity":{"value":%s,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}}"""
          .formatted(growth[k][0], growth[k][1], ref, dob.plusMonths(6 + 6L * k), value, growth[k][2], growth[k][2]));
    }
    out.add("""
        {"resourceType":"CarePlan","status":"active","intent":"plan",\
        "category":[{"coding":[{"system":"https://fhir.childrens-gateway.uk/CodeSystem/bench-careplan-category","code":"healthy-child"}]}],\
        "subject":{"reference":"%s"},"period":{"start":"%s"}}"""
        .formatted(ref, dob.plusMonths(3)));
    return out;
  }

  /** The first valid NHS number (modulus 11) at or after the nine digits given. */
  private static String nhsNumber(long nine) {
    while (true) {
      String s = Long.toString(nine++);
      int sum = 0;
      for (int d = 0; d < 9; d++) {
        sum += (s.charAt(d) - '0') * (10 - d);
      }
      int check = (11 - sum % 11) % 11;
      if (check != 10) {
        return s + check;
      }
    }
  }
}
