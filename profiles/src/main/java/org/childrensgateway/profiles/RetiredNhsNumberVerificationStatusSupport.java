package org.childrensgateway.profiles;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import java.util.Set;
import org.hl7.fhir.common.hapi.validation.support.BaseValidationSupport;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Accepts NHS number verification status codes from the retired UK Core code system
 * ({@value ProfileUrls#CS_NHS_NUMBER_VERIFICATION_STATUS_RETIRED}, codes 01-08), which some
 * senders still use, wherever the current UK Core value set
 * ({@value ProfileUrls#VS_NHS_NUMBER_VERIFICATION_STATUS}, England and Wales systems) is required.
 *
 * <p>Why a validation-support module rather than a profile change: the UK Core extension binds the
 * value set with strength {@code required}, and a derived profile cannot widen a required binding;
 * the UK Core files must also stay unchanged. The module sits first in the chain and only answers
 * for that one system; every other code falls through to the normal terminology modules. The
 * result carries an information-level note so callers can see the retired system was used.
 */
public final class RetiredNhsNumberVerificationStatusSupport extends BaseValidationSupport {

  private static final Set<String> CODES =
      Set.of("01", "02", "03", "04", "05", "06", "07", "08");

  public RetiredNhsNumberVerificationStatusSupport(FhirContext fhirContext) {
    super(fhirContext);
  }

  @Override
  public String getName() {
    return "Retired UK Core NHS number verification status support";
  }

  @Override
  public boolean isCodeSystemSupported(ValidationSupportContext context, String system) {
    return ProfileUrls.CS_NHS_NUMBER_VERIFICATION_STATUS_RETIRED.equals(system);
  }

  @Override
  public boolean isValueSetSupported(ValidationSupportContext context, String valueSetUrl) {
    return ProfileUrls.VS_NHS_NUMBER_VERIFICATION_STATUS.equals(stripVersion(valueSetUrl));
  }

  @Override
  public CodeValidationResult validateCode(
      ValidationSupportContext context,
      ConceptValidationOptions options,
      String system,
      String code,
      String display,
      String valueSetUrl) {
    if (valueSetUrl != null && !isValueSetSupported(context, valueSetUrl)) {
      return null;
    }
    return check(system, code, display);
  }

  @Override
  public CodeValidationResult validateCodeInValueSet(
      ValidationSupportContext context,
      ConceptValidationOptions options,
      String system,
      String code,
      String display,
      IBaseResource valueSet) {
    return check(system, code, display);
  }

  private static CodeValidationResult check(String system, String code, String display) {
    if (!ProfileUrls.CS_NHS_NUMBER_VERIFICATION_STATUS_RETIRED.equals(system)
        || code == null
        || !CODES.contains(code)) {
      return null; // not ours: let the rest of the chain decide
    }
    return new CodeValidationResult()
        .setCode(code)
        .setCodeSystemName("UKCore-NHSNumberVerificationStatus (retired)")
        .setDisplay(display)
        .setSeverity(IssueSeverity.INFORMATION)
        .setMessage(
            "Code from the retired NHS number verification status code system accepted; "
                + "prefer " + ProfileUrls.CS_NHS_NUMBER_VERIFICATION_STATUS_ENGLAND);
  }

  private static String stripVersion(String url) {
    if (url == null) {
      return null;
    }
    int bar = url.indexOf('|');
    return bar >= 0 ? url.substring(0, bar) : url;
  }
}
