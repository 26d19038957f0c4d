package org.childrensgateway.identity;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Normalisation and string similarity for demographic comparison (no personal data is logged). */
final class Names {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_WORD = Pattern.compile("[^a-z0-9 ]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern SUFFIX = Pattern.compile("\\s+(jnr|junior|jr|snr|senior)$");

    private Names() {
    }

    /** Lower case, accents folded (Llŷr to llyr), hyphens as spaces, apostrophes and punctuation dropped. */
    static String normalise(String value) {
        if (value == null) {
            return null;
        }
        String s = MARKS.matcher(Normalizer.normalize(value, Normalizer.Form.NFD)).replaceAll("").toLowerCase(Locale.ROOT);
        s = s.replace('-', ' ').replace('\'', ' ').replace('’', ' ').replace(',', ' ');
        s = NOT_WORD.matcher(s).replaceAll("");
        s = SPACES.matcher(s).replaceAll(" ").trim();
        return s.isEmpty() ? null : s;
    }

    /** A family name for comparison: normalised, generational suffixes dropped, spaces removed (ap Dafydd = apdafydd). */
    static String family(String value) {
        String n = normalise(value);
        if (n == null) {
            return null;
        }
        n = SUFFIX.matcher(n).replaceAll("");
        n = n.replace(" ", "");
        return n.isEmpty() ? null : n;
    }

    /** Jaro-Winkler similarity in [0, 1]; standard prefix scale 0.1 up to four characters. */
    static double jaroWinkler(String a, String b) {
        if (a == null || b == null) {
            return 0;
        }
        if (a.equals(b)) {
            return 1;
        }
        int la = a.length();
        int lb = b.length();
        if (la == 0 || lb == 0) {
            return 0;
        }
        int window = Math.max(0, Math.max(la, lb) / 2 - 1);
        boolean[] ma = new boolean[la];
        boolean[] mb = new boolean[lb];
        int matches = 0;
        for (int i = 0; i < la; i++) {
            int from = Math.max(0, i - window);
            int to = Math.min(lb - 1, i + window);
            for (int j = from; j <= to; j++) {
                if (!mb[j] && a.charAt(i) == b.charAt(j)) {
                    ma[i] = true;
                    mb[j] = true;
                    matches++;
                    break;
                }
            }
        }
        if (matches == 0) {
            return 0;
        }
        int t = 0;
        int k = 0;
        for (int i = 0; i < la; i++) {
            if (ma[i]) {
                while (!mb[k]) {
                    k++;
                }
                if (a.charAt(i) != b.charAt(k)) {
                    t++;
                }
                k++;
            }
        }
        double m = matches;
        double jaro = (m / la + m / lb + (m - t / 2.0) / m) / 3.0;
        int prefix = 0;
        for (int i = 0; i < Math.min(4, Math.min(la, lb)) && a.charAt(i) == b.charAt(i); i++) {
            prefix++;
        }
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    /** American Soundex of a normalised name (letters only), e.g. Jones to J520; null when no letters. */
    static String soundex(String name) {
        if (name == null) {
            return null;
        }
        String s = name.replaceAll("[^a-z]", "");
        if (s.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder().append(Character.toUpperCase(s.charAt(0)));
        char last = code(s.charAt(0));
        for (int i = 1; i < s.length() && out.length() < 4; i++) {
            char c = s.charAt(i);
            char d = code(c);
            if (d != '0' && d != last) {
                out.append(d);
            }
            if (c != 'h' && c != 'w') {
                last = d;
            }
        }
        while (out.length() < 4) {
            out.append('0');
        }
        return out.toString();
    }

    private static char code(char c) {
        return switch (c) {
            case 'b', 'f', 'p', 'v' -> '1';
            case 'c', 'g', 'j', 'k', 'q', 's', 'x', 'z' -> '2';
            case 'd', 't' -> '3';
            case 'l' -> '4';
            case 'm', 'n' -> '5';
            case 'r' -> '6';
            default -> '0';
        };
    }

    /** Upper-case postcode without spaces (np46ab and NP4 6AB agree), or null. */
    static String postcode(String value) {
        if (value == null) {
            return null;
        }
        String s = value.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
        return s.isEmpty() ? null : s;
    }

    /** The postcode sector (outward code plus the inward digit): NP46AB to NP46. */
    static String sector(String compactPostcode) {
        if (compactPostcode == null || compactPostcode.length() < 5) {
            return compactPostcode;
        }
        return compactPostcode.substring(0, compactPostcode.length() - 2);
    }

    /** Digits only (telephone comparison). */
    static String digits(String value) {
        if (value == null) {
            return null;
        }
        String d = value.replaceAll("[^0-9]", "");
        return d.isEmpty() ? null : d;
    }
}
