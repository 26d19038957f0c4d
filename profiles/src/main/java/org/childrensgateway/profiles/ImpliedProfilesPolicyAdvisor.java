package org.childrensgateway.profiles;

import java.util.List;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.validator.FhirDefaultPolicyAdvisor;
import org.hl7.fhir.r5.elementmodel.Element;
import org.hl7.fhir.r5.model.ElementDefinition;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.IMessagingServices;
import org.hl7.fhir.r5.utils.validation.IResourceValidator;
import org.hl7.fhir.r5.utils.validation.constants.ReferenceValidationPolicy;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.instance.advisor.BasePolicyAdvisorForFullValidation;

/**
 * HAPI's default policy, plus the profiles FHIR R4 itself implies: an Observation coded as a vital
 * sign (LOINC or SNOMED CT body weight, height, head circumference, ...) SHALL conform to the R4
 * vital-signs profile for it (bodyweight, bodyheight, headcircum...). The HL7 reference validator
 * applies these; HAPI's default advisor does not, so without this a growth Observation the
 * gateway accepts would fail the validator a receiver runs.
 */
final class ImpliedProfilesPolicyAdvisor extends FhirDefaultPolicyAdvisor {

  private final BasePolicyAdvisorForFullValidation full =
      new BasePolicyAdvisorForFullValidation(ReferenceValidationPolicy.IGNORE, Set.of());

  @Override
  public List<StructureDefinition> getImpliedProfilesForResource(
      IResourceValidator validator,
      Object appContext,
      String stackPath,
      ElementDefinition definition,
      StructureDefinition structure,
      Element resource,
      boolean valid,
      IMessagingServices msgServices,
      List<ValidationMessage> messages) {
    return full.getImpliedProfilesForResource(
        validator, appContext, stackPath, definition, structure, resource, valid, msgServices, messages);
  }
}
