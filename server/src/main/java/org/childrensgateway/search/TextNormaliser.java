package org.childrensgateway.search;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Folds strings for FHIR's default string matching: case-insensitive and accent-insensitive,
 * so "sian" finds "Siân" and "llyr" finds "Llŷr".
 */
public final class TextNormaliser {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SPACE = Pattern.compile("\\s+");
    public static final int MAX_LENGTH = 500;

    private TextNormaliser() {
    }

    public static String normalise(String value) {
        String decomposed = Normalizer.normalize(value, Normalizer.Form.NFD);
        String folded = MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT).trim();
        return truncate(folded);
    }

    /** As {@link #normalise} and with all white space removed (postcodes). */
    public static String compact(String value) {
        return SPACE.matcher(normalise(value)).replaceAll("");
    }

    public static String truncate(String value) {
        return value.length() <= MAX_LENGTH ? value : value.substring(0, MAX_LENGTH);
    }
}
