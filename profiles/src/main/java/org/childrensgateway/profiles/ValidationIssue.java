package org.childrensgateway.profiles;

/**
 * One validation finding.
 *
 * @param severity {@code fatal}, {@code error}, {@code warning} or {@code information}
 * @param location FHIRPath-style location in the resource, e.g. {@code Patient.birthDate}
 * @param message  the validator's message. It may quote coded values from the resource (codes,
 *                 identifiers): do not log it where personal data must not go.
 * @param messageId the validator's message key (stable across wording changes), may be null
 */
public record ValidationIssue(String severity, String location, String message, String messageId) {

  public boolean isError() {
    return "error".equals(severity) || "fatal".equals(severity);
  }

  @Override
  public String toString() {
    return severity + " @ " + location + ": " + message;
  }
}
