package org.childrensgateway.mappers.transform;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** UK postcode normalisation to the {@code AA9A 9AA} form (upper case, one space before the inward code). */
public final class Postcode {

    private static final Pattern SHAPE = Pattern.compile("^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$");

    private Postcode() {
    }

    /** The normalised postcode, or empty when the text is not shaped like a UK postcode. */
    public static Optional<String> normalise(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String compact = raw.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
        if (!SHAPE.matcher(compact).matches()) {
            return Optional.empty();
        }
        int split = compact.length() - 3;
        return Optional.of(compact.substring(0, split) + " " + compact.substring(split));
    }
}
