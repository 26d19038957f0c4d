package org.childrensgateway.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The gateway's own extensions are defined and validated; an extension nobody defined is an error. */
class ExtensionDefinitionTest {

  private static final String UNKNOWN = "https://fhir.example.net/StructureDefinition/shoe-size";

  private static ProfileValidatorFactory factory;

  @BeforeAll
  static void build() {
    factory = ProfileValidatorFactory.shared();
  }

  @Test
  void gatewayExtensionsAreDefinedWithContextAndValueType() {
    StructureDefinition pr = factory.getConformancePackage()
        .findByUrl(StructureDefinition.class, ProfileUrls.EXT_PARENTAL_RESPONSIBILITY).orElseThrow();
    assertThat(pr.getType()).isEqualTo("Extension");
    assertThat(pr.getContextFirstRep().getExpression()).isEqualTo("RelatedPerson");
    StructureDefinition rb = factory.getConformancePackage()
        .findByUrl(StructureDefinition.class, ProfileUrls.EXT_CONSENT_RECORDED_BY).orElseThrow();
    assertThat(rb.getContextFirstRep().getExpression()).isEqualTo("Consent");
  }

  @Test
  void gatewayExtensionsValidateWhereTheyBelong() {
    RelatedPerson carer = Examples.carer();
    carer.addExtension(new Extension(ProfileUrls.EXT_PARENTAL_RESPONSIBILITY, new BooleanType(true)));
    assertThat(factory.validate(carer)).isEmpty();
    assertThat(factory.definedExtensions().check(carer)).isEmpty();

    Consent consent = Examples.consent();
    consent.addExtension(new Extension(ProfileUrls.EXT_CONSENT_RECORDED_BY, new Reference().setDisplay("Dr Example")));
    assertThat(factory.validate(consent)).isEmpty();
  }

  @Test
  void gatewayExtensionWithTheWrongValueTypeOrContextFails() {
    RelatedPerson carer = Examples.carer();
    carer.addExtension(new Extension(ProfileUrls.EXT_PARENTAL_RESPONSIBILITY, new StringType("yes")));
    assertThat(factory.validate(carer)).extracting(ValidationIssue::message).isNotEmpty();

    Patient child = Examples.childPatient();
    child.addExtension(new Extension(ProfileUrls.EXT_PARENTAL_RESPONSIBILITY, new BooleanType(true)));
    assertThat(factory.validate(child)).as("parental responsibility is a carer's, not the child's").isNotEmpty();
  }

  static Stream<Arguments> hostile() {
    return Stream.of(
        Arguments.of("unknown extension on the resource", (Supplier<IBaseResource>) () -> {
          Patient p = Examples.childPatient();
          p.addExtension(new Extension(UNKNOWN, new StringType("4")));
          return p;
        }, "Patient.extension[0]"),
        Arguments.of("unknown modifierExtension", (Supplier<IBaseResource>) () -> {
          Patient p = Examples.childPatient();
          p.addModifierExtension(new Extension(UNKNOWN, new BooleanType(true)));
          return p;
        }, "Patient.modifierExtension[0]"),
        Arguments.of("unknown extension on a primitive (_birthDate)", (Supplier<IBaseResource>) () -> {
          Patient p = Examples.childPatient();
          p.getBirthDateElement().addExtension(new Extension(UNKNOWN, new StringType("approx")));
          return p;
        }, "Patient.birthDate.extension[0]"),
        Arguments.of("unknown extension nested in a known one", (Supplier<IBaseResource>) () -> {
          Patient p = Examples.childPatient();
          Extension status = p.getIdentifierFirstRep().getExtensionFirstRep();
          status.addExtension(new Extension(UNKNOWN, new StringType("x")));
          return p;
        }, "Patient.identifier[0].extension[0].extension[0]"),
        Arguments.of("relative url outside a complex extension", (Supplier<IBaseResource>) () -> {
          Patient p = Examples.childPatient();
          p.addExtension(new Extension("shoeSize", new StringType("4")));
          return p;
        }, "Patient.extension[0]"),
        Arguments.of("example.org url (HAPI lets these through)", (Supplier<IBaseResource>) () -> {
          Observation o = Examples.growthWeight();
          o.addExtension(new Extension("http://example.org/StructureDefinition/anything", new StringType("x")));
          return o;
        }, "Observation.extension[0]"),
        Arguments.of("unknown extension on a contained resource", (Supplier<IBaseResource>) () -> {
          Consent c = Examples.consent();
          RelatedPerson rp = Examples.carer();
          rp.setId("giver");
          rp.addExtension(new Extension(UNKNOWN, new StringType("x")));
          c.addContained(rp);
          return c;
        }, "extension[0]"));
  }

  @ParameterizedTest(name = "{0} is refused")
  @MethodSource("hostile")
  void undefinedExtensionsAreRefused(String name, Supplier<IBaseResource> resource, String location) {
    List<ValidationIssue> issues = factory.definedExtensions().check(resource.get());
    assertThat(issues).as(name).hasSize(1);
    assertThat(issues.get(0).location()).endsWith(location);
    assertThat(issues.get(0).isError()).isTrue();
  }

  @Test
  void theValidatorItselfNoLongerLetsUnknownExtensionsThrough() {
    Patient p = Examples.childPatient();
    p.addExtension(new Extension(UNKNOWN, new StringType("4")));
    assertThat(factory.validate(p)).extracting(ValidationIssue::message)
        .anySatisfy(m -> assertThat(m).contains(UNKNOWN));
  }

  @Test
  void coreUkCoreAndCrossVersionExtensionsAreDefined() {
    Patient p = Examples.childPatient();
    p.addExtension(new Extension("https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory",
        new CodeableConcept(new Coding("https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland", "A", null))));
    p.addExtension(new Extension("http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
        new org.hl7.fhir.r4.model.Address().setCity("Leeds")));
    assertThat(factory.definedExtensions().check(p)).isEmpty();
    Observation o = Examples.growthWeight();
    o.addExtension(new Extension("http://hl7.org/fhir/5.0/StructureDefinition/extension-Observation.bodyStructure",
        new Reference("BodyStructure/1")));
    assertThat(factory.definedExtensions().check(o)).isEmpty();
  }
}
