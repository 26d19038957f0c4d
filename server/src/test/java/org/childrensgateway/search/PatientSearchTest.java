package org.childrensgateway.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.childrensgateway.search.SearchFixtures.CLIENT_SYSTEM;
import static org.childrensgateway.search.SearchFixtures.OTHER_SYSTEM;
import static org.childrensgateway.search.SearchFixtures.patient;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.childrensgateway.fhir.FhirFixtures;
import org.junit.jupiter.api.Test;

/** Every Patient search parameter, each with a near miss that must not match. */
class PatientSearchTest extends SearchTestBase {

    /** Millisecond precision always, so the searched range is one millisecond wide. */
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private String patientWith(String family, String given, String birthDate, String gender, String postcode) {
        return create("Patient", patient(family, given, birthDate, gender, postcode,
                CLIENT_SYSTEM + "|" + FhirFixtures.uniqueId("P")));
    }

    @Test
    void idMatchesOnlyThatPatient() {
        String a = patientWith("Idris", "Ann", "2023-01-01", "female", "NP4 6AB");
        String b = patientWith("Idris", "Bea", "2023-01-01", "female", "NP4 6AB");

        assertThat(matches("Patient", "_id", a)).containsExactly(a);
        assertThat(matches("Patient", "_id", ids(a, b))).containsExactlyInAnyOrder(a, b);
        assertThat(matches("Patient", "_id", a + "x")).isEmpty();
    }

    @Test
    void identifierBySystemAndValueValueOnlyAndNoSystem() {
        String value = FhirFixtures.uniqueId("ID");
        String withSystem = create("Patient", patient("Ident", "A", "2023-01-01", "female", "NP4 6AB", CLIENT_SYSTEM + "|" + value));
        String otherSystem = create("Patient", patient("Ident", "B", "2023-01-01", "female", "NP4 6AB", OTHER_SYSTEM + "|" + value));
        String noSystem = create("Patient", patient("Ident", "C", "2023-01-01", "female", "NP4 6AB", "|" + value));
        String otherValue = create("Patient", patient("Ident", "D", "2023-01-01", "female", "NP4 6AB", CLIENT_SYSTEM + "|" + value + "9"));

        assertThat(matches("Patient", "identifier", CLIENT_SYSTEM + "|" + value)).containsExactly(withSystem);
        assertThat(matches("Patient", "identifier", OTHER_SYSTEM + "|" + value)).containsExactly(otherSystem);
        assertThat(matches("Patient", "identifier", value)).containsExactlyInAnyOrder(withSystem, otherSystem, noSystem);
        assertThat(matches("Patient", "identifier", "|" + value)).containsExactly(noSystem);
        assertThat(matches("Patient", "identifier", CLIENT_SYSTEM + "|" + value + "9")).containsExactly(otherValue);
        // Tokens match whole values, not prefixes.
        assertThat(matches("Patient", "identifier", value.substring(0, value.length() - 1))).isEmpty();
    }

    @Test
    void identifierNotExcludesEveryPatientHoldingThatIdentifier() {
        String value = FhirFixtures.uniqueId("NOT");
        String both = create("Patient", patient("Nots", "A", "2023-01-01", "female", "NP4 6AB",
                CLIENT_SYSTEM + "|" + value, OTHER_SYSTEM + "|" + value + "b"));
        String otherOnly = create("Patient", patient("Nots", "B", "2023-01-01", "female", "NP4 6AB", OTHER_SYSTEM + "|" + value + "c"));
        String scope = ids(both, otherOnly);

        assertThat(matches("Patient", "_id", scope, "identifier:not", CLIENT_SYSTEM + "|" + value)).containsExactly(otherOnly);
        assertThat(matches("Patient", "_id", scope, "gender:not", "female")).isEmpty();
        assertThat(matches("Patient", "_id", scope, "gender:not", "male")).containsExactlyInAnyOrder(both, otherOnly);
    }

    @Test
    void givenIsPrefixCaseAndAccentInsensitive() {
        String sian = patientWith("Givens", "Siân", "2023-01-01", "female", "NP4 6AB");
        String llyr = patientWith("Givens", "Llŷr", "2023-01-01", "male", "NP4 6AB");
        String sinead = patientWith("Givens", "Sinead", "2023-01-01", "female", "NP4 6AB");
        String scope = ids(sian, llyr, sinead);

        // Stored as sent (UTF-8), so the accent tests below test folding, not mangled bytes.
        assertThat(fhir().get("/Patient/" + sian).jsonPath().getString("name[0].given[0]")).isEqualTo("Siân");

        assertThat(matches("Patient", "_id", scope, "given", "sian")).containsExactly(sian);
        assertThat(matches("Patient", "_id", scope, "given", "SIAN")).containsExactly(sian);
        assertThat(matches("Patient", "_id", scope, "given", "Siân")).containsExactly(sian);
        assertThat(matches("Patient", "_id", scope, "given", "llyr")).containsExactly(llyr);
        assertThat(matches("Patient", "_id", scope, "given", "Llŷr")).containsExactly(llyr);
        assertThat(matches("Patient", "_id", scope, "given", "si")).containsExactlyInAnyOrder(sian, sinead);
        // Prefix, not substring; and no match on the family name.
        assertThat(matches("Patient", "_id", scope, "given", "an")).isEmpty();
        assertThat(matches("Patient", "_id", scope, "given", "givens")).isEmpty();
    }

    @Test
    void givenExactIsCaseAndAccentSensitive() {
        String sian = patientWith("Exacts", "Siân", "2023-01-01", "female", "NP4 6AB");
        String sia = patientWith("Exacts", "Sia", "2023-01-01", "female", "NP4 6AB");
        String scope = ids(sian, sia);

        assertThat(matches("Patient", "_id", scope, "given:exact", "Siân")).containsExactly(sian);
        assertThat(matches("Patient", "_id", scope, "given:exact", "Sia")).containsExactly(sia);
        assertThat(matches("Patient", "_id", scope, "given:exact", "sian")).isEmpty();
        assertThat(matches("Patient", "_id", scope, "given:exact", "Sian")).isEmpty();
        assertThat(matches("Patient", "_id", scope, "given:exact", "Si")).isEmpty();
    }

    @Test
    void givenContainsMatchesAnywhere() {
        String llyr = patientWith("Contains", "Llŷr", "2023-01-01", "male", "NP4 6AB");
        String sian = patientWith("Contains", "Siân", "2023-01-01", "female", "NP4 6AB");
        String scope = ids(llyr, sian);

        assertThat(matches("Patient", "_id", scope, "given:contains", "YR")).containsExactly(llyr);
        assertThat(matches("Patient", "_id", scope, "given:contains", "ŷr")).containsExactly(llyr);
        assertThat(matches("Patient", "_id", scope, "given:contains", "an")).containsExactly(sian);
        assertThat(matches("Patient", "_id", scope, "given:contains", "xyz")).isEmpty();
    }

    @Test
    void familyAndName() {
        String family = "Prŷs" + FhirFixtures.uniqueId("F").replace("-", "");
        String pryce = patientWith(family, "Gwen", "2023-01-01", "female", "NP4 6AB");
        String rhys = patientWith("Rhys", "Prys", "2023-01-01", "male", "NP4 6AB");
        String other = patientWith("Morgan", "Dai", "2023-01-01", "male", "NP4 6AB");
        String scope = ids(pryce, rhys, other);

        assertThat(matches("Patient", "_id", scope, "family", "prys")).containsExactly(pryce);
        assertThat(matches("Patient", "_id", scope, "family", family.toUpperCase())).containsExactly(pryce);
        assertThat(matches("Patient", "_id", scope, "family:exact", family)).containsExactly(pryce);
        assertThat(matches("Patient", "_id", scope, "family:exact", family.toLowerCase())).isEmpty();
        assertThat(matches("Patient", "_id", scope, "family:contains", "organ")).containsExactly(other);
        assertThat(matches("Patient", "_id", scope, "family", "gwen")).isEmpty();
        // name covers given and family names
        assertThat(matches("Patient", "_id", scope, "name", "prys")).containsExactlyInAnyOrder(pryce, rhys);
        assertThat(matches("Patient", "_id", scope, "name", "gwe")).containsExactly(pryce);
        assertThat(matches("Patient", "_id", scope, "name", "dai")).containsExactly(other);
        assertThat(matches("Patient", "_id", scope, "name", "evans")).isEmpty();
    }

    @Test
    void birthdateWithPrefixesAndPartialDates() {
        String dec2022 = patientWith("Dates", "A", "2022-12-31", "female", "NP4 6AB");
        String may14 = patientWith("Dates", "B", "2023-05-14", "female", "NP4 6AB");
        String jun01 = patientWith("Dates", "C", "2023-06-01", "female", "NP4 6AB");
        String jan2024 = patientWith("Dates", "D", "2024-01-01", "female", "NP4 6AB");
        String scope = ids(dec2022, may14, jun01, jan2024);

        assertThat(matches("Patient", "_id", scope, "birthdate", "2023-05-14")).containsExactly(may14);
        assertThat(matches("Patient", "_id", scope, "birthdate", "eq2023-05-14")).containsExactly(may14);
        assertThat(matches("Patient", "_id", scope, "birthdate", "2023-05-15")).isEmpty();
        assertThat(matches("Patient", "_id", scope, "birthdate", "2023-05")).containsExactly(may14);
        assertThat(matches("Patient", "_id", scope, "birthdate", "2023")).containsExactlyInAnyOrder(may14, jun01);
        assertThat(matches("Patient", "_id", scope, "birthdate", "ne2023-05-14")).containsExactlyInAnyOrder(dec2022, jun01, jan2024);
        assertThat(matches("Patient", "_id", scope, "birthdate", "ne2023")).containsExactlyInAnyOrder(dec2022, jan2024);
        assertThat(matches("Patient", "_id", scope, "birthdate", "lt2023-05-14")).containsExactly(dec2022);
        assertThat(matches("Patient", "_id", scope, "birthdate", "le2023-05-14")).containsExactlyInAnyOrder(dec2022, may14);
        assertThat(matches("Patient", "_id", scope, "birthdate", "gt2023-05-14")).containsExactlyInAnyOrder(jun01, jan2024);
        assertThat(matches("Patient", "_id", scope, "birthdate", "ge2023-05-14")).containsExactlyInAnyOrder(may14, jun01, jan2024);
        assertThat(matches("Patient", "_id", scope, "birthdate", "lt2023")).containsExactly(dec2022);
        assertThat(matches("Patient", "_id", scope, "birthdate", "gt2023")).containsExactly(jan2024);
        assertThat(matches("Patient", "_id", scope, "birthdate", "ge2023-05")).containsExactlyInAnyOrder(may14, jun01, jan2024);
        assertThat(matches("Patient", "_id", scope, "birthdate", "le2023-05")).containsExactlyInAnyOrder(dec2022, may14);
        // Two values of one parameter are ANDed: a range.
        assertThat(matches("Patient", "_id", scope, "birthdate", "ge2023-01-01", "birthdate", "lt2023-06-01"))
                .containsExactly(may14);
        // Comma-separated values are ORed.
        assertThat(matches("Patient", "_id", scope, "birthdate", "2022,2024")).containsExactlyInAnyOrder(dec2022, jan2024);
    }

    @Test
    void gender() {
        String female = patientWith("Gender", "A", "2023-01-01", "female", "NP4 6AB");
        String male = patientWith("Gender", "B", "2023-01-01", "male", "NP4 6AB");
        String unknown = patientWith("Gender", "C", "2023-01-01", "unknown", "NP4 6AB");
        String scope = ids(female, male, unknown);

        assertThat(matches("Patient", "_id", scope, "gender", "female")).containsExactly(female);
        assertThat(matches("Patient", "_id", scope, "gender", "male")).containsExactly(male);
        assertThat(matches("Patient", "_id", scope, "gender", "male,unknown")).containsExactlyInAnyOrder(male, unknown);
        assertThat(matches("Patient", "_id", scope, "gender", "other")).isEmpty();
        // A code's system is implicit in FHIR; clients may send it.
        assertThat(matches("Patient", "_id", scope, "gender", "http://hl7.org/fhir/administrative-gender|female")).containsExactly(female);
        assertThat(matches("Patient", "_id", scope, "gender", "http://example.org/gender|female")).isEmpty();
    }

    @Test
    void postcodeIgnoresSpacesAndCase() {
        String spaced = patientWith("Postcode", "A", "2023-01-01", "female", "NP4 6AB");
        String compact = patientWith("Postcode", "B", "2023-01-01", "female", "NP46AB");
        String nearMiss = patientWith("Postcode", "C", "2023-01-01", "female", "NP4 6AD");
        String elsewhere = patientWith("Postcode", "D", "2023-01-01", "female", "CF10 1AA");
        String scope = ids(spaced, compact, nearMiss, elsewhere);

        assertThat(matches("Patient", "_id", scope, "address-postalcode", "np46ab")).containsExactlyInAnyOrder(spaced, compact);
        assertThat(matches("Patient", "_id", scope, "address-postalcode", "NP4 6AB")).containsExactlyInAnyOrder(spaced, compact);
        assertThat(matches("Patient", "_id", scope, "address-postalcode", "np4 6ad")).containsExactly(nearMiss);
        assertThat(matches("Patient", "_id", scope, "address-postalcode", "NP4")).containsExactlyInAnyOrder(spaced, compact, nearMiss);
        assertThat(matches("Patient", "_id", scope, "address-postalcode", "cf101aa")).containsExactly(elsewhere);
        assertThat(matches("Patient", "_id", scope, "address-postalcode", "NP47")).isEmpty();
    }

    @Test
    void lastUpdatedRelativeToATimeBetweenWrites() throws InterruptedException {
        String before = patientWith("Updated", "A", "2023-01-01", "female", "NP4 6AB");
        Thread.sleep(20);
        String between = millis(Instant.now());
        Thread.sleep(20);
        String after = patientWith("Updated", "B", "2023-01-01", "female", "NP4 6AB");
        String scope = ids(before, after);

        assertThat(matches("Patient", "_id", scope, "_lastUpdated", "gt" + between)).containsExactly(after);
        assertThat(matches("Patient", "_id", scope, "_lastUpdated", "ge" + between)).containsExactly(after);
        assertThat(matches("Patient", "_id", scope, "_lastUpdated", "lt" + between)).containsExactly(before);
        assertThat(matches("Patient", "_id", scope, "_lastUpdated", "le" + between)).containsExactly(before);
        assertThat(matches("Patient", "_id", scope, "_lastUpdated", "gt2000-01-01T00:00:00Z"))
                .containsExactlyInAnyOrder(before, after);
        assertThat(matches("Patient", "_id", scope, "_lastUpdated", "gt" + millis(Instant.now().plusSeconds(3600)))).isEmpty();

        // eq at the stored (millisecond) instant finds just that version
        Instant stamp = OffsetDateTime.parse(fhir().get("/Patient/" + before).jsonPath().getString("meta.lastUpdated")).toInstant();
        assertThat(matches("Patient", "_id", scope, "_lastUpdated", millis(stamp))).containsExactly(before);
    }

    private static String millis(Instant instant) {
        return MILLIS.format(instant);
    }
}
