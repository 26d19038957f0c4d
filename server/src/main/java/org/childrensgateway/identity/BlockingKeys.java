package org.childrensgateway.identity;

import java.util.Set;
import java.util.TreeSet;

/**
 * Blocking keys: a new record is only compared with records sharing at least one key, so matching
 * one record costs the same whatever the population size. Each key combines a name or place with
 * the date of birth, so a block is roughly "children born on one day with one surname sound" and
 * does not grow with the register. The keys are chosen so each kind of noise leaves another key
 * intact: the date uses day and month in sorted order (a transposed 05/04 still blocks with 04/05),
 * the surname-and-postcode key survives a wrong date of birth, and surname, given name and year
 * survive a wrong day together with a move.
 */
final class BlockingKeys {

    private BlockingKeys() {
    }

    static Set<String> of(PersonFeatures f) {
        Set<String> keys = new TreeSet<>();
        if (f.nhs() != null) {
            keys.add("nhs:" + f.nhs());
        }
        String dob = dobKey(f.birthDate());
        String sdx = Names.soundex(f.family());
        if (dob != null) {
            if (sdx != null) {
                keys.add("fd:" + sdx + ":" + dob);
            }
            for (String g : f.given()) {
                keys.add("gd:" + NameVariants.canonical(g) + ":" + dob);
            }
            if (f.postcode() != null) {
                keys.add("pd:" + f.postcode() + ":" + dob);
            }
        }
        if (sdx != null && f.birthDate() != null) {
            // Survives a wrong day and a move together: surname sound, given name and year of birth.
            for (String g : f.given()) {
                keys.add("fgy:" + sdx + ":" + NameVariants.canonical(g) + ":" + f.birthDate().substring(0, 4));
            }
        }
        if (sdx != null && f.postcode() != null) {
            String year = f.birthDate() == null ? "" : f.birthDate().substring(0, 4);
            keys.add("fp:" + sdx + ":" + f.postcode() + ":" + year);
        }
        return keys;
    }

    /** yyyy plus day and month in sorted order, so a day/month transposition gives the same key. */
    static String dobKey(String birthDate) {
        if (birthDate == null || birthDate.length() != 10) {
            return null;
        }
        String month = birthDate.substring(5, 7);
        String day = birthDate.substring(8, 10);
        String lo = month.compareTo(day) <= 0 ? month : day;
        String hi = month.compareTo(day) <= 0 ? day : month;
        return birthDate.substring(0, 4) + lo + hi;
    }
}
