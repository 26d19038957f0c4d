package org.childrensgateway.mappers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Consent;
import org.junit.jupiter.api.Test;

/** A site names its local team members per kind of team: a centre consent then names those organisations. */
class ConsentRecipientsTest {

    private static final String ROW = "CentreCode,FamilyRef,ChildRef,ChildForename,ChildSurname,ChildDOB,ChildGender,ChildNHSNumber,"
            + "Carer1Forename,Carer1Surname,Carer1Relationship,Carer1Phone,Carer1Email,AddressLine1,AddressLine2,Town,Postcode,"
            + "RegistrationDate,ConsentShareHealth,ConsentShareScope,ConsentDate,ConsentReviewDue,ConsentWithdrawnDate\n"
            + "CC-TORFAEN-01,F-1,C-1,Millie,Jones,14/05/2023,Female,,Cerys,Jones,Mother,,,1 Heol,,Pontypool,NP4 6AB,01/06/2025,Y,%s,"
            + "01/06/2025,01/06/2026,\n";

    private static List<String> organisations(MappingRegistry registry, String scope) throws Exception {
        List<String> out = new ArrayList<>();
        try (RecordStream s = registry.reader("childrens-centre", "registrations")
                .open(new ByteArrayInputStream(ROW.formatted(scope).getBytes(StandardCharsets.UTF_8)))) {
            for (MappedRecord r : s) {
                for (var res : r.resources()) {
                    if (res instanceof Consent c) {
                        c.getProvision().getActor().stream().filter(a -> "Organization".equals(a.getReference().getType()))
                                .forEach(a -> out.add(a.getReference().getIdentifier().getValue()));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void configuredKindsOfTeamNameTheirLocalOrganisations() throws Exception {
        MappingRegistry registry = MappingRegistry.builtIn();
        assertThat(organisations(registry, "HV;GP")).as("not configured: kinds of team only").isEmpty();
        registry.mapping("childrens-centre", "registrations").consentRecipients = Map.of("HV", List.of("RX9"), "GP", List.of("M85001"));
        assertThat(organisations(registry, "HV;GP")).containsExactlyInAnyOrder("RX9", "M85001");
        // A kind the site has not configured would otherwise be narrowed to the others' organisations: none are named.
        assertThat(organisations(registry, "HV;SALT")).isEmpty();
    }
}
