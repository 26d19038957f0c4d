package org.childrensgateway.mappers.transform;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.childrensgateway.mappers.Issue;
import org.childrensgateway.mappers.codes.CodeTranslator;
import org.childrensgateway.mappers.config.FieldSpec;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.Coding;

/**
 * Applies a field's transform to source text (inbound) and renders a value back to text (outbound).
 * Values: String, DateType, DateTimeType, Boolean, BigDecimal, Coding, List&lt;String&gt;, List&lt;Coding&gt;.
 * Absent (blank) input gives null. Problems are added to {@code issues} without echoing the value,
 * except for codes, which are not personal data and which the engineer needs to see to extend a map.
 */
public final class FieldValues {

    private FieldValues() {
    }

    public static Object parse(FieldSpec spec, List<String> raw, CodeTranslator tx, List<Issue> issues) {
        List<String> present = raw.stream().filter(s -> s != null && !s.isBlank()).map(String::trim).toList();
        if (present.isEmpty()) {
            return null;
        }
        String text = present.get(0);
        String field = spec.sourceLabel();
        switch (spec.transform == null ? "text" : spec.transform) {
            case "text":
                return text;
            case "lines":
                return present;
            case "given-names":
                return Arrays.asList(text.split("\\s+"));
            case "date":
                try {
                    return DateFormats.toDateType(DateFormats.parseDate(text, spec.format));
                } catch (DateTimeException e) {
                    issues.add(Issue.error(Issue.INVALID_DATE, field, "not a valid date in format " + fmt(spec)));
                    return null;
                }
            case "datetime":
                try {
                    ZoneId zone = ZoneId.of(spec.zone);
                    return DateFormats.toDateTimeType(DateFormats.parseInstant(text, spec.format, zone), zone);
                } catch (DateTimeException e) {
                    issues.add(Issue.error(Issue.INVALID_DATE, field, "not a valid date-time in format " + fmt(spec)));
                    return null;
                }
            case "nhs-number": {
                String n = NhsNumber.normalise(text).orElse("");
                Optional<String> problem = NhsNumber.problem(n);
                if (problem.isPresent()) {
                    issues.add(Issue.error(Issue.INVALID_NHS_NUMBER, field, problem.get()));
                    return null;
                }
                return n;
            }
            case "postcode": {
                Optional<String> p = Postcode.normalise(text);
                if (p.isEmpty()) {
                    issues.add(Issue.warning(Issue.INVALID_VALUE, field, "not shaped like a UK postcode; kept as sent"));
                    return text.toUpperCase(Locale.ROOT);
                }
                return p.get();
            }
            case "yes-no":
            case "true-false": {
                String t = text.toUpperCase(Locale.ROOT);
                boolean yn = "yes-no".equals(spec.transform);
                if (t.equals(yn ? "Y" : "TRUE")) {
                    return Boolean.TRUE;
                }
                if (t.equals(yn ? "N" : "FALSE")) {
                    return Boolean.FALSE;
                }
                issues.add(Issue.error(Issue.INVALID_VALUE, field, "expected " + (yn ? "Y or N" : "true or false")));
                return null;
            }
            case "number":
                try {
                    return new BigDecimal(text);
                } catch (NumberFormatException e) {
                    issues.add(Issue.error(Issue.INVALID_VALUE, field, "not a number"));
                    return null;
                }
            case "code":
                return code(spec, text, tx, issues);
            case "split": {
                List<String> parts = Arrays.stream(text.split(java.util.regex.Pattern.quote(spec.separator)))
                        .map(String::trim).filter(s -> !s.isEmpty()).toList();
                if (!spec.translates()) {
                    return parts;
                }
                List<Coding> codes = new ArrayList<>();
                for (String p : parts) {
                    Coding c = code(spec, p, tx, issues);
                    if (c != null) {
                        codes.add(c);
                    }
                }
                return codes;
            }
            default:
                throw new IllegalStateException("unknown transform " + spec.transform);
        }
    }

    private static String fmt(FieldSpec spec) {
        return spec.format == null ? "iso" : spec.format;
    }

    /** Translates one code via the inline values table or the ConceptMaps; reports an unmapped code. */
    public static Coding code(FieldSpec spec, String text, CodeTranslator tx, List<Issue> issues) {
        if (!spec.values.isEmpty()) {
            String target = spec.values.get(text);
            if (target != null) {
                return new Coding(spec.system, target, null);
            }
        }
        if (!spec.conceptMap.isEmpty()) {
            Optional<Coding> c = tx.translate(spec.conceptMap, text);
            if (c.isPresent()) {
                return c.get();
            }
        }
        issues.add(Issue.error(Issue.UNMAPPED_CODE, spec.sourceLabel(), "code '" + text + "' has no translation in "
                + (spec.conceptMap.isEmpty() ? "the field's values table" : "ConceptMap " + String.join(", ", spec.conceptMap))));
        return null;
    }

    /**
     * Renders a value for output; one string per source column (a {@code lines} field spread over
     * several columns gives several). Returns null entries for blanks. Codes that cannot be
     * reverse-translated are reported in {@code issues} and left blank.
     */
    @SuppressWarnings("unchecked")
    public static List<String> format(FieldSpec spec, Object value, CodeTranslator tx, List<Issue> issues) {
        int columns = Math.max(1, spec.source.size());
        String[] out = new String[columns];
        if (value == null) {
            return Arrays.asList(out);
        }
        if (value instanceof String s && !"text".equals(spec.transform) && !"postcode".equals(spec.transform)
                && !"nhs-number".equals(spec.transform)) {
            out[0] = s; // already rendered by the layout (e.g. a reverse-translated item code)
            return Arrays.asList(out);
        }
        ZoneId zone = ZoneId.of(spec.zone);
        String pattern = spec.outputFormat != null ? spec.outputFormat : spec.format;
        switch (spec.transform == null ? "text" : spec.transform) {
            case "lines" -> {
                List<String> lines = (List<String>) value;
                for (int i = 0; i < lines.size(); i++) {
                    if (i < columns) {
                        out[i] = lines.get(i);
                    } else {
                        out[columns - 1] = out[columns - 1] + ", " + lines.get(i); // more lines than columns
                    }
                }
            }
            case "given-names" -> out[0] = String.join(" ", (List<String>) value);
            case "date" -> out[0] = DateFormats.format((BaseDateTimeType) value, pattern, zone, true);
            case "datetime" -> out[0] = DateFormats.format((BaseDateTimeType) value, pattern, zone, false);
            case "yes-no" -> out[0] = ((Boolean) value) ? "Y" : "N";
            case "true-false" -> out[0] = ((Boolean) value) ? "true" : "false";
            case "number" -> out[0] = ((BigDecimal) value).toPlainString();
            case "code" -> out[0] = reverse(spec, (Coding) value, tx, issues);
            case "split" -> {
                List<String> parts = new ArrayList<>();
                for (Object o : (List<Object>) value) {
                    String s = o instanceof Coding c ? reverse(spec, c, tx, issues) : o.toString();
                    if (s != null) {
                        parts.add(s);
                    }
                }
                out[0] = parts.isEmpty() ? null : String.join(spec.separator, parts);
            }
            default -> out[0] = value.toString();
        }
        return Arrays.asList(out);
    }

    private static String reverse(FieldSpec spec, Coding c, CodeTranslator tx, List<Issue> issues) {
        for (Map.Entry<String, String> e : spec.values.entrySet()) {
            if (e.getValue().equals(c.getCode()) && (spec.system == null || c.getSystem() == null || spec.system.equals(c.getSystem()))) {
                return e.getKey();
            }
        }
        if (!spec.conceptMap.isEmpty()) {
            Optional<String> r = tx.reverse(spec.conceptMap, List.of(c));
            if (r.isPresent()) {
                return r.get();
            }
        }
        issues.add(Issue.warning(Issue.UNMAPPED_CODE, spec.sourceLabel(), "code " + c.getSystem() + "|" + c.getCode()
                + " has no reverse translation; column left blank"));
        return null;
    }
}
