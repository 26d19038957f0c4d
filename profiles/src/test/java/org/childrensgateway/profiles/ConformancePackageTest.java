package org.childrensgateway.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.List;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConformancePackageTest {

  private static ConformancePackage pkg;

  @BeforeAll
  static void load() {
    pkg = ConformancePackage.load(FhirContext.forR4Cached());
  }

  @Test
  void loadsEverythingInTheIndex() {
    assertThat(pkg.getAllResources()).hasSameSizeAs(pkg.getPaths());
    assertThat(pkg.getStructureDefinitions()).hasSizeGreaterThanOrEqualTo(9 + 19);
    assertThat(pkg.getCodeSystems()).hasSizeGreaterThanOrEqualTo(6 + 16);
    assertThat(pkg.getValueSets()).hasSizeGreaterThanOrEqualTo(7 + 15);
    assertThat(pkg.getConceptMaps()).isNotNull();
    assertThat(pkg.getSearchParameters()).isNotNull();
  }

  @Test
  void projectProfilesHaveAgreedUrlsBasesAndDescriptions() {
    record Expect(String url, String type, String base) {}
    List<Expect> expected =
        List.of(
            new Expect(ProfileUrls.CHILD_PATIENT, "Patient", "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"),
            new Expect(ProfileUrls.CARER_RELATED_PERSON, "RelatedPerson", "https://fhir.hl7.org.uk/StructureDefinition/UKCore-RelatedPerson"),
            new Expect(ProfileUrls.CHILD_CONSENT, "Consent", "http://hl7.org/fhir/StructureDefinition/Consent"),
            new Expect(ProfileUrls.CHILD_OBSERVATION, "Observation", "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation"),
            new Expect(ProfileUrls.GROWTH_OBSERVATION, "Observation", ProfileUrls.CHILD_OBSERVATION),
            new Expect(ProfileUrls.ASQ3_DOMAIN_SCORE_OBSERVATION, "Observation", ProfileUrls.CHILD_OBSERVATION),
            new Expect(ProfileUrls.EYFS_PROGRESS_CHECK_OBSERVATION, "Observation", ProfileUrls.CHILD_OBSERVATION),
            new Expect(ProfileUrls.SERVICE_LEVEL_OBSERVATION, "Observation", ProfileUrls.CHILD_OBSERVATION),
            new Expect(ProfileUrls.CHILD_CARE_PLAN, "CarePlan", "http://hl7.org/fhir/StructureDefinition/CarePlan"));
    for (Expect e : expected) {
      StructureDefinition sd = pkg.findByUrl(StructureDefinition.class, e.url()).orElseThrow();
      assertThat(sd.getType()).as(e.url()).isEqualTo(e.type());
      assertThat(sd.getBaseDefinition()).as(e.url()).isEqualTo(e.base());
      assertThat(sd.getDerivation()).isEqualTo(StructureDefinition.TypeDerivationRule.CONSTRAINT);
      assertThat(sd.hasDifferential()).isTrue();
      assertThat(sd.getDescription()).as(e.url()).contains("Base:").contains("Status:");
    }
  }

  @Test
  void projectCodeSystemsAreCompleteAndHaveAValueSet() {
    List<String> systems =
        List.of(
            ProfileUrls.CS_ASQ3,
            ProfileUrls.CS_EYFS_PRIME_AREA,
            ProfileUrls.CS_EYFS_OUTCOME,
            ProfileUrls.CS_HV_SERVICE_LEVEL,
            ProfileUrls.CS_OBSERVATION_TYPE,
            ProfileUrls.CS_CONSENT_SCOPE);
    for (String url : systems) {
      CodeSystem cs = pkg.findByUrl(CodeSystem.class, url).orElseThrow();
      assertThat(cs.getContent()).isEqualTo(CodeSystem.CodeSystemContentMode.COMPLETE);
      assertThat(cs.getDescription()).contains("project code system");
      assertThat(cs.getCount()).isEqualTo(cs.getConcept().size());
      String vsUrl = url.replace("/CodeSystem/", "/ValueSet/");
      ValueSet vs = pkg.findByUrl(ValueSet.class, vsUrl).orElseThrow();
      assertThat(vs.getCompose().getIncludeFirstRep().getSystem()).isEqualTo(url);
    }
    assertThat(codes(ProfileUrls.CS_ASQ3)).containsExactly("COM", "GM", "FM", "PS", "PSOC", "SE2-TOTAL");
    assertThat(codes(ProfileUrls.CS_EYFS_PRIME_AREA)).containsExactly("PSED", "CL", "PD");
    assertThat(codes(ProfileUrls.CS_EYFS_OUTCOME)).containsExactly("emerging", "expected", "exceeding");
    assertThat(codes(ProfileUrls.CS_HV_SERVICE_LEVEL))
        .containsExactly("universal", "universal-plus", "universal-partnership-plus");
    assertThat(codes(ProfileUrls.CS_OBSERVATION_TYPE))
        .containsExactly("hv-service-level", "mental-health-service-open", "centre-attendance");
    assertThat(codes(ProfileUrls.CS_CONSENT_SCOPE))
        .containsExactly("HV", "MW", "GP", "SALT", "SN", "CC", "EY");
    assertThat(pkg.findByUrl(ProfileUrls.VS_CHILD_GROWTH_CODES)).isPresent();
  }

  @Test
  void findByUrlIgnoresVersionSuffixAndUnknownUrls() {
    assertThat(pkg.findByUrl(ProfileUrls.CHILD_PATIENT + "|0.1.0")).isPresent();
    assertThat(pkg.findByUrl(ProfileUrls.BASE + "/StructureDefinition/Nope")).isEmpty();
    assertThat(pkg.findByUrl(CodeSystem.class, ProfileUrls.CHILD_PATIENT)).isEmpty();
  }

  private static List<String> codes(String url) {
    return pkg.findByUrl(CodeSystem.class, url).orElseThrow().getConcept().stream()
        .map(CodeSystem.ConceptDefinitionComponent::getCode)
        .toList();
  }
}
