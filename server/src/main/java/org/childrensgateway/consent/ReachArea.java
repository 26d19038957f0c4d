package org.childrensgateway.consent;

import java.util.List;
import java.util.Locale;

/**
 * Postcode reach areas: a centre's area is a list of districts ({@code NP44}) and sectors
 * ({@code NP4 6}); a postcode is in it when its district or sector is listed. Postcodes are
 * compared ignoring case and spacing ({@code np46ab} is {@code NP4 6AB}).
 */
public final class ReachArea {

    private ReachArea() {
    }

    /** {@code NP4 6AB} from any spacing or case; null when it is not a full UK postcode. */
    public static String normalise(String postcode) {
        if (postcode == null) {
            return null;
        }
        String compact = postcode.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
        if (compact.length() < 5 || compact.length() > 7) {
            return null;
        }
        return compact.substring(0, compact.length() - 3) + " " + compact.substring(compact.length() - 3);
    }

    public static boolean covers(List<String> reach, String postcode) {
        String p = normalise(postcode);
        if (p == null || reach == null) {
            return false;
        }
        String district = p.substring(0, p.indexOf(' '));
        String sector = p.substring(0, p.indexOf(' ') + 2);
        return reach.stream().map(r -> r.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " "))
                .anyMatch(r -> r.equals(district) || r.equals(sector));
    }
}
