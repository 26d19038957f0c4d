package org.childrensgateway.identity;

import java.util.ArrayList;
import java.util.List;

/**
 * Fellegi–Sunter comparison of two records. Each element falls into an agreement level with a
 * weight log2(m/u): m is the chance of that level when the records are the same child, u when they
 * are different children (figures are estimates for a regional children's register; see
 * docs/identity.md). Missing values weigh nothing. The weights sum to the score.
 *
 * <p>One rule goes beyond independent weights: two records from one household (family names alike,
 * same address or postcode) whose first given names are neither equal nor forms of one name are
 * twins or siblings, the commonest false match in children's services, so that pattern carries a
 * large penalty. "Alike" includes a typo and half of a double-barrelled name, and a first name
 * merely similar (Luca/Lucas) or matching only the other's middle name (Gethin Osian/Osian) counts
 * as different: parents do give twins names like that, and a typo at the same address is not worth
 * fusing two children for (it goes to review).
 */
final class MatchScorer {

    static final double GIVEN_AGREE = w(0.88, 0.01);
    static final double GIVEN_VARIANT = w(0.07, 0.002);
    static final double GIVEN_SIMILAR = w(0.03, 0.01);
    static final double GIVEN_DISAGREE = w(0.02, 0.978);
    static final double FAMILY_AGREE = w(0.92, 0.004);
    static final double FAMILY_SIMILAR = w(0.05, 0.01);
    static final double FAMILY_DISAGREE = w(0.03, 0.986);
    static final double DOB_AGREE = w(0.93, 0.0005);
    static final double DOB_TRANSPOSED = w(0.02, 0.0005);
    static final double DOB_PARTIAL = w(0.04, 0.01);
    static final double DOB_DISAGREE = w(0.01, 0.9895);
    static final double SEX_AGREE = w(0.97, 0.5);
    static final double SEX_DISAGREE = w(0.03, 0.5);
    static final double POSTCODE_AGREE = w(0.85, 0.0008);
    static final double POSTCODE_SECTOR = w(0.05, 0.02);
    static final double POSTCODE_DISAGREE = w(0.10, 0.9792);
    /** Address weights are small: the street mostly repeats what the postcode already said. */
    static final double ADDRESS_AGREE = 3.0;
    static final double ADDRESS_PARTIAL = 1.0;
    static final double ADDRESS_DISAGREE = -2.0;
    static final double CARER_AGREE = 4.0;
    static final double NHS_DISAGREE = -12.0;
    static final double HOUSEHOLD_DIFFERENT_CHILD = -20.0;

    private MatchScorer() {
    }

    private static double w(double m, double u) {
        return Math.round(Math.log(m / u) / Math.log(2) * 100) / 100.0;
    }

    static MatchResult compare(PersonFeatures a, PersonFeatures b) {
        List<Evidence> ev = new ArrayList<>();
        if (a.nhs() != null && b.nhs() != null) {
            ev.add(a.nhs().equals(b.nhs()) ? new Evidence("nhs", "agree", 0) : new Evidence("nhs", "disagree", NHS_DISAGREE));
        }
        ev.add(given(a, b));
        ev.add(family(a.family(), b.family()));
        ev.add(birthDate(a.birthDate(), b.birthDate()));
        ev.add(sex(a.sex(), b.sex()));
        ev.add(postcode(a.postcode(), b.postcode()));
        ev.add(address(a.address(), b.address()));
        ev.add(carers(a, b));
        ev.removeIf(e -> e == null);
        if (sameHousehold(ev) && differentFirstNames(a, b)) {
            ev.add(new Evidence("household-different-child", "rule", HOUSEHOLD_DIFFERENT_CHILD));
        }
        double score = Math.round(ev.stream().mapToDouble(Evidence::weight).sum() * 100) / 100.0;
        return new MatchResult(score, List.copyOf(ev));
    }

    /** Family names alike and the same postcode or first address line. */
    private static boolean sameHousehold(List<Evidence> ev) {
        String family = level(ev, "family");
        boolean alike = family.equals("agree") || family.equals("similar");
        return alike && (level(ev, "postcode").equals("agree") || level(ev, "address").equals("agree"));
    }

    /** The first given names (the name a child is registered and called by) are neither equal nor variants. */
    static boolean differentFirstNames(PersonFeatures a, PersonFeatures b) {
        if (a.given().isEmpty() || b.given().isEmpty()) {
            return false; // a placeholder or no name: no evidence either way
        }
        String x = a.given().get(0);
        String y = b.given().get(0);
        return !x.equals(y) && !NameVariants.variants(x, y);
    }

    private static String level(List<Evidence> ev, String field) {
        return ev.stream().filter(e -> e.field().equals(field)).map(Evidence::level).findFirst().orElse("missing");
    }

    /** The best agreement between any given name of one and any of the other (Amelia Rose vs Millie). */
    private static Evidence given(PersonFeatures a, PersonFeatures b) {
        if (a.given().isEmpty() || b.given().isEmpty()) {
            return null;
        }
        int best = 0; // 3 agree, 2 variant, 1 similar, 0 disagree
        for (String x : a.given()) {
            for (String y : b.given()) {
                if (x.equals(y)) {
                    best = 3;
                } else if (NameVariants.variants(x, y)) {
                    best = Math.max(best, 2);
                } else if (x.length() > 2 && y.length() > 2 && Names.jaroWinkler(x, y) >= 0.88) {
                    best = Math.max(best, 1);
                }
            }
        }
        return switch (best) {
            case 3 -> new Evidence("given", "agree", GIVEN_AGREE);
            case 2 -> new Evidence("given", "variant", GIVEN_VARIANT);
            case 1 -> new Evidence("given", "similar", GIVEN_SIMILAR);
            default -> new Evidence("given", "disagree", GIVEN_DISAGREE);
        };
    }

    private static Evidence family(String a, String b) {
        if (a == null || b == null) {
            return null;
        }
        if (a.equals(b)) {
            return new Evidence("family", "agree", FAMILY_AGREE);
        }
        // Double-barrelled and changed surnames: one contained in the other counts as similar.
        if (Names.jaroWinkler(a, b) >= 0.9 || (Math.min(a.length(), b.length()) >= 4 && (a.contains(b) || b.contains(a)))) {
            return new Evidence("family", "similar", FAMILY_SIMILAR);
        }
        return new Evidence("family", "disagree", FAMILY_DISAGREE);
    }

    private static Evidence birthDate(String a, String b) {
        if (a == null || b == null || a.length() != 10 || b.length() != 10) {
            return null;
        }
        if (a.equals(b)) {
            return new Evidence("birthDate", "agree", DOB_AGREE);
        }
        String ya = a.substring(0, 4), ma = a.substring(5, 7), da = a.substring(8, 10);
        String yb = b.substring(0, 4), mb = b.substring(5, 7), db = b.substring(8, 10);
        if (ya.equals(yb) && ma.equals(db) && da.equals(mb)) {
            return new Evidence("birthDate", "transposed", DOB_TRANSPOSED);
        }
        int same = (ya.equals(yb) ? 1 : 0) + (ma.equals(mb) ? 1 : 0) + (da.equals(db) ? 1 : 0);
        if (same == 2) {
            return new Evidence("birthDate", "partial", DOB_PARTIAL);
        }
        return new Evidence("birthDate", "disagree", DOB_DISAGREE);
    }

    private static Evidence sex(String a, String b) {
        if (a == null || b == null || a.equals("unknown") || b.equals("unknown")) {
            return null;
        }
        return a.equals(b) ? new Evidence("sex", "agree", SEX_AGREE) : new Evidence("sex", "disagree", SEX_DISAGREE);
    }

    private static Evidence postcode(String a, String b) {
        if (a == null || b == null) {
            return null;
        }
        if (a.equals(b)) {
            return new Evidence("postcode", "agree", POSTCODE_AGREE);
        }
        if (Names.sector(a).equals(Names.sector(b))) {
            return new Evidence("postcode", "sector", POSTCODE_SECTOR);
        }
        return new Evidence("postcode", "disagree", POSTCODE_DISAGREE);
    }

    private static Evidence address(String a, String b) {
        if (a == null || b == null) {
            return null;
        }
        String ca = a.replace(" ", "");
        String cb = b.replace(" ", "");
        if (ca.equals(cb)) {
            return new Evidence("address", "agree", ADDRESS_AGREE);
        }
        String na = a.split(" ")[0];
        String nb = b.split(" ")[0];
        boolean numbered = Character.isDigit(na.charAt(0)) && na.equals(nb);
        double sim = Names.jaroWinkler(ca, cb);
        if (numbered && sim >= 0.85) {
            return new Evidence("address", "agree", ADDRESS_AGREE);
        }
        if (sim >= 0.9 || numbered) {
            return new Evidence("address", "partial", ADDRESS_PARTIAL);
        }
        return new Evidence("address", "disagree", ADDRESS_DISAGREE);
    }

    /** A carer named alike (or the same phone) in both records; no carer in common weighs nothing. */
    private static Evidence carers(PersonFeatures a, PersonFeatures b) {
        if (a.carers().isEmpty() || b.carers().isEmpty()) {
            return null;
        }
        for (String x : a.carers()) {
            for (String y : b.carers()) {
                if (sameCarer(x, y)) {
                    return new Evidence("carers", "agree", CARER_AGREE);
                }
            }
        }
        for (String p : a.phones()) {
            if (b.phones().contains(p)) {
                return new Evidence("carers", "agree", CARER_AGREE);
            }
        }
        return new Evidence("carers", "disagree", 0);
    }

    /** Carer names as "given family": family alike and given equal or a variant. */
    static boolean sameCarer(String x, String y) {
        String[] a = x.split(" ", 2);
        String[] b = y.split(" ", 2);
        if (a.length < 2 || b.length < 2) {
            return false;
        }
        boolean family = a[1].equals(b[1]) || Names.jaroWinkler(a[1], b[1]) >= 0.92;
        boolean given = a[0].equals(b[0]) || NameVariants.variants(a[0], b[0]) || Names.jaroWinkler(a[0], b[0]) >= 0.92;
        return family && given;
    }
}
