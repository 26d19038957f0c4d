package org.childrensgateway.mappers.build;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Reference helpers. Within one record, resources point at each other by the entry's
 * {@code urn:uuid:} fullUrl (the server resolves it inside the transaction, also when a
 * conditional create matched an existing resource). A resource from another record or an earlier
 * extract (an assessment's client) is referenced conditionally, {@code Patient?identifier=sys|val},
 * which the server resolves against what it already holds. Both carry Reference.identifier too, so
 * the business key survives whatever the server does with the literal reference.
 */
public final class Refs {

    private Refs() {
    }

    /**
     * {@code identifier=system|value}, with what a source value may hold that a search URL would
     * read otherwise escaped: the FHIR search escapes ({@code \ , | $} behind a backslash) and the
     * URL's own characters ({@code % + & #} percent-encoded). Unescaped, a value with {@code %00}
     * became a NUL (a 500 on the whole extract, FuzzTest seed 7), {@code a+b} matched {@code a b},
     * and {@code a,b} matched either {@code a} or {@code b}: another record's resource. Other
     * characters are left as they are, so ordinary URLs read as before.
     */
    public static String identifierQuery(String system, String value) {
        return "identifier=" + escape(system) + "|" + escape(value);
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\', ',', '|', '$' -> out.append('\\').append(c);
                case '%' -> out.append("%25");
                case '+' -> out.append("%2B");
                case '&' -> out.append("%26");
                case '#' -> out.append("%23");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    public static Reference conditional(String type, String system, String value) {
        return new Reference(type + "?" + identifierQuery(system, value)).setType(type)
                .setIdentifier(new Identifier().setSystem(system).setValue(value));
    }

    public static Reference local(String fullUrl, String type, String system, String value) {
        return new Reference(fullUrl).setType(type).setIdentifier(new Identifier().setSystem(system).setValue(value));
    }

    /** A logical reference by identifier only, for things the gateway does not hold as resources (ODS organisations, teams). */
    public static Reference logical(String type, String system, String value, String display) {
        Reference r = new Reference().setType(type).setIdentifier(new Identifier().setSystem(system).setValue(value));
        if (display != null) {
            r.setDisplay(display);
        }
        return r;
    }
}
