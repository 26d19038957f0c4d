package org.childrensgateway.mappers.build;

/** The type of value a layout needs from a field; a mapping's transform must produce it. */
public enum Kind {
    TEXT, DATE, DATETIME, NHS_NUMBER, POSTCODE, NAMES, BOOLEAN, LIST, CODE, CODES, NUMBER;

    /** The kind a transform produces, or null for an unknown transform name. */
    public static Kind ofTransform(String transform, boolean translates) {
        return switch (transform == null ? "text" : transform) {
            case "text" -> TEXT;
            case "date" -> DATE;
            case "datetime" -> DATETIME;
            case "nhs-number" -> NHS_NUMBER;
            case "postcode" -> POSTCODE;
            case "given-names" -> NAMES;
            case "yes-no", "true-false" -> BOOLEAN;
            case "split" -> translates ? CODES : LIST;
            case "lines" -> LIST;
            case "code" -> CODE;
            case "number" -> NUMBER;
            default -> null;
        };
    }

    /** Whether a field of this kind may be filled by a transform producing {@code produced}. */
    public boolean accepts(Kind produced) {
        return this == produced || (this == DATETIME && produced == DATE) || (this == LIST && produced == NAMES);
    }

    /** The transform to suggest in an error message. */
    public String suggestion() {
        return switch (this) {
            case TEXT -> "text";
            case DATE -> "date";
            case DATETIME -> "datetime (or date)";
            case NHS_NUMBER -> "nhs-number";
            case POSTCODE -> "postcode";
            case NAMES -> "given-names";
            case BOOLEAN -> "yes-no or true-false";
            case LIST -> "lines or split";
            case CODE -> "code with values or conceptMap";
            case CODES -> "split with conceptMap or values";
            case NUMBER -> "number";
        };
    }
}
