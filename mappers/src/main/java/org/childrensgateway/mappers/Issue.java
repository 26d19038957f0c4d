package org.childrensgateway.mappers;

/**
 * A problem found while mapping one record. Messages name the field and the rule, never the
 * value: values can be personal data (names, NHS numbers, dates of birth).
 *
 * @param severity ERROR quarantines the record; WARNING is informational
 * @param code     machine-readable reason, e.g. {@code invalid-date}, {@code unmapped-code}
 * @param field    the source column or element path the issue is about (may be null)
 * @param message  human-readable explanation without personal data
 */
public record Issue(Severity severity, String code, String field, String message) {

    public enum Severity { ERROR, WARNING }

    public static final String REQUIRED = "required";
    public static final String INVALID_DATE = "invalid-date";
    public static final String INVALID_NHS_NUMBER = "invalid-nhs-number";
    public static final String UNMAPPED_CODE = "unmapped-code";
    public static final String INVALID_VALUE = "invalid-value";
    public static final String PARTIAL_UPDATE = "partial-update";
    public static final String NOT_WRITTEN = "not-written";

    public static Issue error(String code, String field, String message) {
        return new Issue(Severity.ERROR, code, field, message);
    }

    public static Issue warning(String code, String field, String message) {
        return new Issue(Severity.WARNING, code, field, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return severity + " " + code + (field == null ? "" : " [" + field + "]") + ": " + message;
    }
}
