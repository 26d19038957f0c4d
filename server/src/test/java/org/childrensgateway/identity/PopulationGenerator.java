package org.childrensgateway.identity;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic register of children with known truth, for measuring linkage. Households hold one to
 * three children (siblings), about 2% of children are twins (same date of birth, surname and
 * address, different given names); each child has two or three source records (SystmOne, RiO,
 * children's centre) with realistic noise: nicknames and Welsh/English forms, typos, day and month
 * transposed, missing NHS numbers (mostly at the centre), postcode spacing and case, address
 * spellings, moves, missing sex, carers named with nicknames. Seeded, so runs are repeatable.
 */
final class PopulationGenerator {

    /** One generated source record, the child it truly belongs to, and the trap classes that child is in. */
    record SourceRecord(int truth, PersonFeatures features, java.util.Set<String> traps) {
    }

    /** Trap classes: the patterns that fuse two children or split one (issue 14). */
    static final String SAME_NAME_DOB = "same name+DOB, other town";
    static final String TWINS = "twins";
    static final String TWINS_SIMILAR = "twins, similar names";
    static final String SIBLINGS = "siblings";
    static final String NEAR_NHS = "NHS numbers one digit apart (and the check digit)";
    static final String MOVED_FAMILY = "moved family";
    static final String PLACEHOLDER = "placeholder forename";
    static final String CENTRE_NO_NHS = "centre record without NHS number";
    static final List<String> TRAPS = List.of(SAME_NAME_DOB, TWINS, TWINS_SIMILAR, SIBLINGS, NEAR_NHS, MOVED_FAMILY, PLACEHOLDER,
            CENTRE_NO_NHS);

    /** Twins' names that are alike but not forms of one name. */
    private static final String[][] SIMILAR_TWIN_NAMES = {{"Luca", "Lucas"}, {"Ella", "Ellie"}, {"Mia", "Maia"}, {"Evan", "Ewan"},
        {"Noah", "Noa"}, {"Elin", "Elina"}, {"Lena", "Lana"}, {"Macy", "Maci"}};
    private static final String[] PLACEHOLDERS = {"Baby", "Infant", "Baby of %s", "Baby Boy", "Baby Girl", "Newborn"};

    private static final String[] BOYS = {"William", "John", "David", "Llyr", "James", "Thomas", "Robert", "Richard", "Edward", "Hugh",
        "Owen", "Henry", "Charles", "Daniel", "Matthew", "Samuel", "Benjamin", "Joseph", "Michael", "Oliver", "Rhys", "Peter", "Osian",
        "Gethin", "Cai", "Dylan", "Iwan", "Ifan", "Noah", "Leo", "Arthur", "Freddie", "Jacob", "Harrison", "Mason", "Elis", "Tomos",
        "Aled", "Emrys", "Macsen", "Teilo", "Jac", "Alfie", "George", "Theo", "Luca", "Zain", "Mohammed", "Adam", "Isaac"};
    private static final String[] GIRLS = {"Amelia", "Elizabeth", "Catherine", "Eleanor", "Jane", "Mary", "Anne", "Charlotte",
        "Alexandra", "Samantha", "Jennifer", "Rebecca", "Victoria", "Jessica", "Abigail", "Olivia", "Isabella", "Sophie", "Gwen",
        "Margaret", "Nia", "Seren", "Ffion", "Cerys", "Mali", "Alys", "Efa", "Lili", "Megan", "Elin", "Cadi", "Manon", "Hannah",
        "Grace", "Ava", "Poppy", "Freya", "Florence", "Evie", "Mia", "Ruby", "Ivy", "Aria", "Layla", "Isla", "Eira", "Mabli", "Non",
        "Heledd", "Nansi"};
    private static final String[] SURNAMES = {"Jones", "Jones", "Jones", "Williams", "Williams", "Davies", "Davies", "Evans", "Evans",
        "Thomas", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths", "Price", "Rees", "Jenkins", "Phillips", "Edwards",
        "Owen", "James", "Powell", "Lloyd", "Morris", "ap Dafydd", "Pritchard", "Howells", "Bevan", "Parry", "Probert", "Vaughan",
        "Watkins", "Harris", "Smith", "Taylor", "Brown", "Wilson", "Walker", "Wright", "O'Neill", "Khan", "Ahmed", "Patel", "Nowak",
        "Kowalski", "ap Rhys", "Llewellyn", "Prosser", "Bowen", "Meredith", "Gittins", "Cadwaladr", "Rowlands", "Humphreys",
        "Jenkins-Price", "Ellis", "Pugh", "Rogers"};
    private static final String[] STREETS = {"Heol y Bryn", "Stryd Fawr", "High Street", "Church Road", "Station Road", "Heol Gwyn",
        "Mill Lane", "Park Road", "Canal View", "Victoria Street", "Ffordd y Parc", "Heol Newydd", "Commercial Street", "Bridge Street",
        "Maes y Dre", "Llys Derwen", "Clos Ceirios", "Queen Street", "King Street", "Chapel Road"};
    private static final String[] OUTWARD = {"NP4", "NP44", "NP18", "NP20", "CF10", "CF11", "CF14", "CF24", "CF31", "CF37", "SA1", "SA2",
        "SA4", "SA15", "SA31", "LL11", "LL13", "LL55", "LL57", "SY23", "LD1", "NP7", "NP11", "NP12", "NP13", "NP22", "NP23", "NP25"};
    private static final String[] MOTHERS = {"Cerys", "Sian", "Jane", "Elizabeth", "Catherine", "Rebecca", "Jennifer", "Sarah", "Emma",
        "Rhian", "Nia", "Bethan", "Lowri", "Hannah", "Laura", "Amy", "Kate", "Megan", "Ffion", "Leah"};

    private final Random random;

    PopulationGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** A child as it truly is. */
    private record Child(int truth, String nhs, String given, String middle, String family, LocalDate dob, String sex,
                         String houseNumber, String street, String postcode, String mother, String motherFamily, String phone,
                         java.util.Set<String> traps, String movedSystem, String oldLine, String oldPostcode, String placeholderSystem) {
    }

    List<SourceRecord> generate(int children, String idPrefix) {
        List<Child> truth = new ArrayList<>();
        while (truth.size() < children) {
            household(truth, children);
        }
        List<SourceRecord> records = new ArrayList<>();
        int seq = 0;
        for (Child c : truth) {
            List<String> systems = new ArrayList<>(List.of("systmone", "rio", "childrens-centre"));
            java.util.Collections.shuffle(systems, random);
            int count = random.nextDouble() < 0.5 ? 3 : 2;
            for (String system : systems.subList(0, count)) {
                PersonFeatures f = record(c, system, idPrefix + "-" + (seq++));
                if (system.equals("childrens-centre") && f.nhs() == null) {
                    c.traps().add(CENTRE_NO_NHS);
                }
                records.add(new SourceRecord(c.truth(), f, c.traps()));
            }
        }
        java.util.Collections.shuffle(records, random);
        return records;
    }

    private void household(List<Child> out, int limit) {
        String family = pick(SURNAMES);
        String street = pick(STREETS);
        String house = Integer.toString(1 + random.nextInt(120));
        String postcode = newPostcode();
        String mother = pick(MOTHERS);
        String motherFamily = random.nextDouble() < 0.8 ? family : pick(SURNAMES);
        String phone = "07700" + (100000 + random.nextInt(900000));
        double r = random.nextDouble();
        int kids = r < 0.70 ? 1 : r < 0.92 ? 2 : 3;
        double t = random.nextDouble();
        boolean twins = t < 0.03;
        boolean similarTwins = t < 0.015;
        // A moved family: one system still has the old address for every child of the household.
        String movedSystem = random.nextDouble() < 0.05 ? pick(new String[] {"systmone", "rio", "childrens-centre"}) : null;
        String oldLine = (1 + random.nextInt(120)) + " " + pick(STREETS);
        String oldPostcode = newPostcode();
        LocalDate dob = LocalDate.of(2019, 1, 1).plusDays(random.nextInt(365 * 6));
        List<String> used = new ArrayList<>();
        String[] similar = pick(SIMILAR_TWIN_NAMES);
        int first = out.size();
        for (int k = 0; k < kids + (twins ? 1 : 0) && out.size() < limit; k++) {
            boolean twin = twins && k == 1;
            if (k > 0 && !twin) {
                dob = dob.plusDays(300 + random.nextInt(900));
            }
            String sex = random.nextBoolean() ? "male" : "female";
            // Siblings and twins never share a name or a form of one (parents do not name twins Will and Bill).
            String finalGiven = pick("male".equals(sex) ? BOYS : GIRLS);
            while (clashes(finalGiven, used)) {
                finalGiven = pick("male".equals(sex) ? BOYS : GIRLS);
            }
            if (similarTwins && k <= 1) {
                finalGiven = similar[k];
            }
            used.add(finalGiven);
            String middle = random.nextDouble() < 0.4 ? pick(random.nextBoolean() ? BOYS : GIRLS) : null;
            java.util.Set<String> traps = new java.util.TreeSet<>();
            if (twins && k <= 1) {
                traps.add(similarTwins ? TWINS_SIMILAR : TWINS);
            }
            if (kids + (twins ? 1 : 0) > 1) {
                traps.add(SIBLINGS);
            }
            if (movedSystem != null) {
                traps.add(MOVED_FAMILY);
            }
            String placeholderSystem = null;
            if (random.nextDouble() < 0.04) {
                placeholderSystem = random.nextBoolean() ? "systmone" : "rio";
                traps.add(PLACEHOLDER);
            }
            String nhs = nhs();
            if (random.nextDouble() < 0.02 && !out.isEmpty()) {
                Child other = out.get(random.nextInt(out.size()));
                String near = nearNhs(other.nhs());
                if (near != null) {
                    nhs = near;
                    traps.add(NEAR_NHS);
                    other.traps().add(NEAR_NHS);
                }
            }
            out.add(new Child(out.size(), nhs, finalGiven, middle, family, dob, sex, house, street, postcode, mother, motherFamily, phone,
                    traps, movedSystem, oldLine, oldPostcode, placeholderSystem));
        }
        // Another family elsewhere with a child of the same name, date of birth and sex.
        if (random.nextDouble() < 0.04 && out.size() < limit && out.size() > first) {
            Child c = out.get(first);
            c.traps().add(SAME_NAME_DOB);
            java.util.Set<String> traps = new java.util.TreeSet<>(List.of(SAME_NAME_DOB));
            out.add(new Child(out.size(), nhs(), c.given(), random.nextDouble() < 0.4 ? pick(BOYS) : null, c.family(), c.dob(), c.sex(),
                    Integer.toString(1 + random.nextInt(120)), pick(STREETS), newPostcode(), pick(MOTHERS), pick(SURNAMES),
                    "07700" + (100000 + random.nextInt(900000)), traps, null, null, null, null));
        }
    }

    private String newPostcode() {
        return pick(OUTWARD) + " " + random.nextInt(10) + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26));
    }

    /**
     * A valid NHS number sharing the first eight digits of {@code nhs} (like the twins 9991945792 and
     * 9991945784): the ninth digit differs, and so, necessarily, the check digit (modulus 11 catches
     * every single-digit change, so numbers "one digit apart" differ in the check digit too). Null
     * when none exists.
     */
    private String nearNhs(String nhs) {
        List<String> near = new ArrayList<>();
        for (char d = '0'; d <= '9'; d++) {
            if (d != nhs.charAt(8)) {
                org.childrensgateway.mappers.transform.NhsNumber.withCheckDigit(nhs.substring(0, 8) + d).ifPresent(near::add);
            }
        }
        return near.isEmpty() ? null : near.get(random.nextInt(near.size()));
    }

    private static boolean clashes(String name, List<String> used) {
        String n = Names.normalise(name);
        return used.stream().map(Names::normalise).anyMatch(u -> u.equals(n) || NameVariants.variants(u, n));
    }

    private PersonFeatures record(Child c, String system, String id) {
        boolean centre = system.equals("childrens-centre");
        String nhs = random.nextDouble() < (centre ? 0.3 : system.equals("rio") ? 0.9 : 0.97) ? c.nhs() : null;
        boolean verified = nhs != null && !centre && random.nextDouble() < 0.8;
        // Given name: a nickname or Welsh/English form (more often at the centre), a typo, middle name kept or not.
        String given = c.given();
        if (random.nextDouble() < (centre ? 0.35 : 0.08)) {
            given = variant(given);
        }
        if (random.nextDouble() < 0.03) {
            given = typo(given);
        }
        boolean placeholder = system.equals(c.placeholderSystem());
        if (placeholder) { // registered at birth, before the baby was named
            given = pick(PLACEHOLDERS).formatted(c.family());
        }
        List<String> givens = new ArrayList<>();
        givens.add(given);
        if (c.middle() != null && !centre && !placeholder && random.nextDouble() < 0.7) {
            givens.add(c.middle());
        }
        String family = c.family();
        if (random.nextDouble() < 0.03) {
            family = typo(family);
        }
        LocalDate dob = c.dob();
        String birthDate = dob.toString();
        double d = random.nextDouble();
        if (d < 0.02 && dob.getDayOfMonth() <= 12 && dob.getDayOfMonth() != dob.getMonthValue()) {
            birthDate = LocalDate.of(dob.getYear(), dob.getDayOfMonth(), dob.getMonthValue()).toString();
        } else if (d < 0.03) {
            int day = Math.max(1, Math.min(28, dob.getDayOfMonth() + (random.nextBoolean() ? 1 : -1)));
            birthDate = LocalDate.of(dob.getYear(), dob.getMonthValue(), day).toString();
        }
        String sex = random.nextDouble() < 0.02 ? null : c.sex();
        String postcode = c.postcode();
        String line = c.houseNumber() + " " + c.street();
        if (system.equals(c.movedSystem())) { // the whole family moved; this system has the old address
            postcode = c.oldPostcode();
            line = c.oldLine();
        } else if (random.nextDouble() < 0.08) { // moved house since this system last heard
            postcode = pick(OUTWARD) + " " + random.nextInt(10) + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26));
            line = (1 + random.nextInt(120)) + " " + pick(STREETS);
        } else {
            line = addressVariant(line);
        }
        postcode = postcodeVariant(postcode);
        List<String> carers = new ArrayList<>();
        List<String> phones = new ArrayList<>();
        if (!system.equals("rio") && random.nextDouble() < 0.9) {
            String mother = random.nextDouble() < 0.15 ? variant(c.mother()) : c.mother();
            carers.add(Names.normalise(mother) + " " + Names.family(c.motherFamily()));
            if (random.nextDouble() < 0.6) {
                phones.add(c.phone());
            }
        }
        return new PersonFeatures(id, system, nhs, verified, FeatureExtractor.givenNames(givens), Names.family(family), birthDate, sex,
                Names.postcode(postcode), Names.normalise(line), carers, phones, system);
    }

    private String variant(String name) {
        List<String> forms = new ArrayList<>(NameVariants.forms(Names.normalise(name)));
        forms.remove(Names.normalise(name));
        return forms.isEmpty() ? name : capitalise(forms.get(random.nextInt(forms.size())));
    }

    /** One character substituted, dropped or two neighbours swapped. */
    private String typo(String s) {
        if (s.length() < 4) {
            return s;
        }
        int i = 1 + random.nextInt(s.length() - 2);
        char[] c = s.toCharArray();
        switch (random.nextInt(3)) {
            case 0 -> c[i] = (char) ('a' + random.nextInt(26));
            case 1 -> {
                char t = c[i];
                c[i] = c[i + 1];
                c[i + 1] = t;
            }
            default -> {
                return s.substring(0, i) + s.substring(i + 1);
            }
        }
        return new String(c);
    }

    private String addressVariant(String line) {
        double r = random.nextDouble();
        if (r < 0.15) {
            return line.replace(" y ", "-y-").replace("Street", "St").replace("Road", "Rd");
        }
        if (r < 0.25) {
            return line.toUpperCase();
        }
        return line;
    }

    private String postcodeVariant(String postcode) {
        double r = random.nextDouble();
        if (r < 0.3) {
            return postcode.replace(" ", "");
        }
        if (r < 0.5) {
            return postcode.toLowerCase();
        }
        return postcode;
    }

    private String nhs() {
        while (true) {
            StringBuilder nine = new StringBuilder("999");
            for (int i = 0; i < 6; i++) {
                nine.append(random.nextInt(10));
            }
            var nhs = org.childrensgateway.mappers.transform.NhsNumber.withCheckDigit(nine.toString());
            if (nhs.isPresent()) {
                return nhs.get();
            }
        }
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
