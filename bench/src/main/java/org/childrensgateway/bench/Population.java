package org.childrensgateway.bench;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Deterministic synthetic children (seeded): each child is 1 Patient, 1 RelatedPerson, 1 Consent,
 * 4 Observations and 1 CarePlan (8 resources), as in the reference mix. The same children
 * can be written as FHIR transaction bundles or in the three native feed formats (RiO clients CSV,
 * SystmOne XML extract, children's-centre registrations CSV). Child {@code i} is always the same
 * person whatever the population size, so a subset's feeds describe children already in the store.
 * Names, NHS numbers (999 test range, valid modulus 11) and addresses are synthetic.
 */
final class Population {

    static final int RESOURCES_PER_CHILD = 8;
    static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    static final String RIO_CLIENT = "https://fhir.childrens-gateway.uk/Id/rio/RX9/client";
    static final String RIO_CARER = "https://fhir.childrens-gateway.uk/Id/rio/RX9/carer";
    static final String SCOPE = "https://fhir.childrens-gateway.uk/CodeSystem/consent-scope";
    static final String CAREPLAN_CATEGORY = "https://fhir.childrens-gateway.uk/CodeSystem/bench-careplan-category";

    private static final String[] GIVEN_F = {"Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Freya", "Florence", "Willow",
            "Seren", "Cerys", "Ffion", "Megan", "Elsie", "Evie", "Poppy", "Grace", "Sophia", "Rosie"};
    private static final String[] GIVEN_M = {"Oliver", "Noah", "George", "Arthur", "Leo", "Harry", "Oscar", "Theo", "Henry", "Jack",
            "Dylan", "Rhys", "Osian", "Ioan", "Gethin", "Alfie", "Charlie", "Jacob", "Freddie", "Archie"};
    private static final String[] FAMILY = {"Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan",
            "Griffiths", "Edwards", "Smith", "Walker", "Wright", "Taylor", "Brown", "Wilson", "Johnson", "Price", "Powell",
            "Morris", "Phillips", "James", "Rees", "Owen", "Jenkins", "Harris", "Clarke", "Lloyd", "Bevan"};
    private static final String[] STREETS = {"Heol y Bryn", "Canal View", "Stryd Fawr", "Mill Lane", "Church Road", "Station Road",
            "High Street", "Park Avenue", "Bryn Terrace", "Commercial Street"};
    private static final String[] TOWNS = {"Pontypool", "Cwmbran", "Blaenavon", "Abersychan", "Griffithstown"};
    private static final DateTimeFormatter DMY = DateTimeFormatter.ofPattern("dd/MM/yyyy");

    private final long seed;
    private final String[] nhsNumbers;

    Population(long seed, int maxChildren) {
        this.seed = seed;
        this.nhsNumbers = new String[maxChildren];
        long base = 999_000_000L;
        int n = 0;
        while (n < maxChildren) {
            String nine = Long.toString(base++);
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (nine.charAt(i) - '0') * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check != 10) {
                nhsNumbers[n++] = nine + check;
            }
        }
    }

    /** One synthetic child; everything derives from (seed, index). */
    record Child(int index, String nhs, String clientId, String given, String family, boolean female, LocalDate birthDate,
                 String line, String town, String postcode, String carerGiven, String phone, double weight, double height) {
    }

    Child child(int i) {
        Random r = new Random(seed * 1_000_003L + i);
        boolean female = r.nextBoolean();
        String given = female ? GIVEN_F[r.nextInt(GIVEN_F.length)] : GIVEN_M[r.nextInt(GIVEN_M.length)];
        String family = FAMILY[r.nextInt(FAMILY.length)];
        LocalDate dob = LocalDate.of(2019, 1, 1).plusDays(r.nextInt(6 * 365));
        String line = (1 + r.nextInt(150)) + " " + STREETS[r.nextInt(STREETS.length)];
        String town = TOWNS[r.nextInt(TOWNS.length)];
        String postcode = "NP" + (4 + r.nextInt(40)) + " " + r.nextInt(10) + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26));
        String carer = GIVEN_F[r.nextInt(GIVEN_F.length)];
        String phone = "07700 9" + String.format("%05d", r.nextInt(100_000));
        double weight = 8 + r.nextInt(120) / 10.0;
        double height = 70 + r.nextInt(400) / 10.0;
        return new Child(i, nhsNumbers[i], "BR" + (1_000_000 + i), given, family, female, dob, line, town, postcode, carer, phone,
                weight, height);
    }

    private static String urn(String kind, int child) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes((kind + ":" + child).getBytes(StandardCharsets.UTF_8));
    }

    // ---- FHIR resources (profile-valid: ChildPatient, CarerRelatedPerson, ChildConsent, ChildObservation, ChildCarePlan) ----

    String patient(Child c) {
        return """
                {"resourceType":"Patient","identifier":[{"system":"%s","value":"%s"},{"system":"%s","value":"%s"}],\
                "name":[{"use":"official","family":"%s","given":["%s"]}],"gender":"%s","birthDate":"%s",\
                "address":[{"line":["%s"],"city":"%s","postalCode":"%s"}]}"""
                .formatted(NHS, c.nhs(), RIO_CLIENT, c.clientId(), c.family(), c.given(), c.female() ? "female" : "male",
                        c.birthDate(), c.line(), c.town(), c.postcode());
    }

    String relatedPerson(Child c, String patientRef) {
        return """
                {"resourceType":"RelatedPerson","active":true,"identifier":[{"system":"%s","value":"C%s"}],\
                "patient":{"reference":"%s"},\
                "relationship":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-RoleCode","code":"MTH","display":"mother"}]}],\
                "name":[{"family":"%s","given":["%s"]}],"telecom":[{"system":"phone","value":"%s"}]}"""
                .formatted(RIO_CARER, c.clientId(), patientRef, c.family(), c.carerGiven(), c.phone());
    }

    /** A grant to the GP and health-visiting scopes, recorded by the writer (RiO, RX9): what lets a GP read it. */
    String consent(Child c, String patientRef) {
        return """
                {"resourceType":"Consent","status":"active",\
                "scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},\
                "category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],\
                "patient":{"reference":"%s"},"dateTime":"2025-01-15",\
                "policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTIN"}]},\
                "provision":{"type":"permit","period":{"start":"2025-01-15","end":"2035-01-15"},"actor":[\
                {"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},\
                "reference":{"identifier":{"system":"%s","value":"GP"}}},\
                {"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},\
                "reference":{"identifier":{"system":"%s","value":"HV"}}}]}}"""
                .formatted(patientRef, SCOPE, SCOPE);
    }

    String observation(Child c, String patientRef, int k) {
        String code;
        String loinc;
        String unit;
        double value;
        // With the LOINC code the R4 vital-signs profiles require beside the SNOMED one (HL7's validator applies them).
        switch (k) {
            case 0 -> { code = "27113001"; loinc = "29463-7"; unit = "kg"; value = c.weight(); }
            case 1 -> { code = "50373000"; loinc = "8302-2"; unit = "cm"; value = c.height(); }
            case 2 -> { code = "363812007"; loinc = "9843-4"; unit = "cm"; value = 40 + (c.index() % 100) / 10.0; }
            default -> { code = "27113001"; loinc = "29463-7"; unit = "kg"; value = c.weight() + 0.8; }
        }
        String date = c.birthDate().plusMonths(6 + 6L * k) + "T10:30:00Z";
        return """
                {"resourceType":"Observation","status":"final",\
                "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],\
                "code":{"coding":[{"system":"http://snomed.info/sct","code":"%s"},{"system":"http://loinc.org","code":"%s"}]},\
                "subject":{"reference":"%s"},"effectiveDateTime":"%s",\
                "valueQuantity":{"value":%s,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}}"""
                .formatted(code, loinc, patientRef, date, value, unit, unit);
    }

    String carePlan(Child c, String patientRef) {
        return """
                {"resourceType":"CarePlan","status":"active","intent":"plan",\
                "category":[{"coding":[{"system":"%s","code":"healthy-child"}]}],\
                "subject":{"reference":"%s"},"period":{"start":"%s"}}"""
                .formatted(CAREPLAN_CATEGORY, patientRef, c.birthDate().plusMonths(3));
    }

    /** The resources of child {@code i} as stored rows would hold them (for the raw PostgreSQL insert). */
    List<String> resources(int i) {
        Child c = child(i);
        String ref = "Patient/p" + i;
        List<String> out = new ArrayList<>(RESOURCES_PER_CHILD);
        out.add(patient(c));
        out.add(relatedPerson(c, ref));
        out.add(consent(c, ref));
        for (int k = 0; k < 4; k++) {
            out.add(observation(c, ref, k));
        }
        out.add(carePlan(c, ref));
        return out;
    }

    /** A transaction bundle of children [from, to): every resource a POST with a urn:uuid fullUrl. */
    String transaction(int from, int to) {
        StringBuilder b = new StringBuilder(4096 * (to - from));
        b.append("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        boolean first = true;
        for (int i = from; i < to; i++) {
            Child c = child(i);
            String p = urn("Patient", i);
            List<String[]> entries = new ArrayList<>();
            entries.add(new String[] {p, "Patient", patient(c)});
            entries.add(new String[] {urn("RelatedPerson", i), "RelatedPerson", relatedPerson(c, p)});
            entries.add(new String[] {urn("Consent", i), "Consent", consent(c, p)});
            for (int k = 0; k < 4; k++) {
                entries.add(new String[] {urn("Observation" + k, i), "Observation", observation(c, p, k)});
            }
            entries.add(new String[] {urn("CarePlan", i), "CarePlan", carePlan(c, p)});
            for (String[] e : entries) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                b.append("{\"fullUrl\":\"").append(e[0]).append("\",\"resource\":").append(e[2])
                        .append(",\"request\":{\"method\":\"POST\",\"url\":\"").append(e[1]).append("\"}}");
            }
        }
        return b.append("]}").toString();
    }

    // ---- native feeds for the same children ----

    static final String RIO_HEADER = "ClientID,NHSNumber,NHSNumberStatus,Surname,Forenames,PreferredName,DateOfBirth,GenderCode,"
            + "AddressLine1,AddressLine2,AddressLine3,AddressLine4,Postcode,GPPracticeCode,EthnicCategory,DateOfDeath,LastUpdated";

    /** RiO clients extract: the same client ids as the transaction bundles, so these update those source records. */
    String rioClients(int from, int to) {
        StringBuilder b = new StringBuilder(RIO_HEADER).append("\r\n");
        for (int i = from; i < to; i++) {
            Child c = child(i);
            b.append(c.clientId()).append(',').append(c.nhs()).append(",01,").append(c.family()).append(',').append(c.given())
                    .append(",,").append(c.birthDate().format(DMY)).append(',').append(c.female() ? '2' : '1').append(',')
                    .append(c.line()).append(",,").append(c.town()).append(",,").append(c.postcode()).append(",M85001,A,,")
                    .append("03/11/2026 22:10:00\r\n");
        }
        return b.toString();
    }

    /** SystmOne extract: new source records (their own ids) of the same children, linked by NHS number. */
    String systmOne(int from, int to) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<SystmOneExtract xmlns=\"urn:example:systmone-extract:1\" organisation=\"M85001\" generated=\"2026-11-01T02:00:00Z\">\n");
        for (int i = from; i < to; i++) {
            Child c = child(i);
            String id = "BS1-" + (1_000_000 + i);
            b.append("<Patient id=\"").append(id).append("\">")
                    .append("<NHSNumber verified=\"true\">").append(c.nhs()).append("</NHSNumber>")
                    .append("<Name><Forenames>").append(c.given()).append("</Forenames><Surname>").append(c.family()).append("</Surname></Name>")
                    .append("<DateOfBirth>").append(c.birthDate()).append("</DateOfBirth>")
                    .append("<Sex>").append(c.female() ? 'F' : 'M').append("</Sex>")
                    .append("<Address><Line>").append(c.line()).append("</Line><Line>").append(c.town()).append("</Line><Postcode>")
                    .append(c.postcode()).append("</Postcode></Address>")
                    .append("<RegisteredPractice ods=\"M85001\"/>")
                    .append("<Carers><Carer id=\"").append(id).append("-C\" relationship=\"MTH\" parentalResponsibility=\"true\">")
                    .append("<Name><Forenames>").append(c.carerGiven()).append("</Forenames><Surname>").append(c.family())
                    .append("</Surname></Name><Telephone>").append(c.phone()).append("</Telephone></Carer></Carers>")
                    .append("<Events>")
                    .append("<Event id=\"").append(id).append("-E1\" date=\"").append(c.birthDate().plusMonths(9)).append("T10:30:00Z\" author=\"HV\">")
                    .append("<Code scheme=\"SNOMED\" value=\"27113001\" display=\"Body weight\"/><Value numeric=\"").append(c.weight())
                    .append("\" unit=\"kg\"/></Event>")
                    .append("<Event id=\"").append(id).append("-E2\" date=\"").append(c.birthDate().plusMonths(15)).append("T10:30:00Z\" author=\"HV\">")
                    .append("<Code scheme=\"SNOMED\" value=\"50373000\" display=\"Body height\"/><Value numeric=\"").append(c.height())
                    .append("\" unit=\"cm\"/></Event>")
                    .append("</Events>")
                    .append("<ConsentRecords><Consent id=\"").append(id).append("-K\" date=\"2025-06-01\" type=\"SHARE-CHILDRENS-CENTRE\" status=\"granted\" givenBy=\"")
                    .append(id).append("-C\" expires=\"2030-06-01\" recordedBy=\"HV\"/></ConsentRecords>")
                    .append("<CarePlans><CarePlan id=\"").append(id).append("-P\" status=\"active\" start=\"").append(c.birthDate().plusMonths(3))
                    .append("\" title=\"Healthy child plan\"><Goal>On centile</Goal><Activity status=\"scheduled\" date=\"2026-03-01\">Review</Activity></CarePlan></CarePlans>")
                    .append("</Patient>\n");
        }
        return b.append("</SystmOneExtract>\n").toString();
    }

    static final String CC_HEADER = "CentreCode,FamilyRef,ChildRef,ChildForename,ChildSurname,ChildDOB,ChildGender,ChildNHSNumber,"
            + "Carer1Forename,Carer1Surname,Carer1Relationship,Carer1Phone,Carer1Email,AddressLine1,AddressLine2,Town,Postcode,"
            + "RegistrationDate,ConsentShareHealth,ConsentShareScope,ConsentDate,ConsentReviewDue,ConsentWithdrawnDate";

    /** Children's-centre registrations: no NHS number, so these link by demographics (the expensive path). */
    String centreRegistrations(int from, int to) {
        StringBuilder b = new StringBuilder(CC_HEADER).append("\r\n");
        for (int i = from; i < to; i++) {
            Child c = child(i);
            b.append("CC-TORFAEN-01,BF-").append(1_000_000 + i).append(",BC-").append(1_000_000 + i).append(',').append(c.given())
                    .append(',').append(c.family()).append(',').append(c.birthDate().format(DMY)).append(',')
                    .append(c.female() ? "Female" : "Male").append(",,").append(c.carerGiven()).append(',').append(c.family())
                    .append(",Mother,").append(c.phone().replace(" ", "")).append(",,").append(c.line()).append(",,").append(c.town())
                    .append(',').append(c.postcode().replace(" ", "")).append(",01/06/2025,Y,HV;GP,01/06/2025,01/06/2030,\r\n");
        }
        return b.toString();
    }
}
