package org.childrensgateway.identity;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Given-name equivalences: common nicknames and Welsh/English forms. Children are registered by
 * one system under their birth name and known by another under a nickname (Amelia/Millie) or the
 * Welsh form (John/Siôn, David/Dafydd), so agreement on a variant counts almost as much as an
 * exact one. Names are compared in {@link Names#normalise} form (lower case, accents folded).
 * A name may belong to more than one group (Charlie: Charles and Charlotte).
 */
final class NameVariants {

    private static final List<List<String>> GROUPS = List.of(
            List.of("amelia", "millie", "milly", "mellie", "emilia"),
            List.of("william", "bill", "billy", "will", "willy", "liam", "gwilym", "wil"),
            List.of("john", "jon", "johnny", "jonny", "sion", "shon", "ioan", "ieuan"),
            List.of("evan", "ifan", "ieuan"),
            List.of("david", "dafydd", "dai", "dave", "davy", "dewi"),
            List.of("llyr", "lyr", "llyre"),
            List.of("elizabeth", "beth", "betty", "lizzie", "lizzy", "liz", "eliza", "betsan", "elsie"),
            List.of("catherine", "katherine", "kathryn", "cathryn", "kate", "katie", "cath", "catrin", "cati", "katy"),
            List.of("james", "jim", "jimmy", "jamie", "iago"),
            List.of("thomas", "tom", "tommy", "tomos", "twm"),
            List.of("robert", "rob", "bob", "bobby", "robbie", "robat"),
            List.of("richard", "rich", "rick", "ricky", "dick", "rhisiart"),
            List.of("edward", "ed", "eddie", "ted", "teddy", "iorwerth"),
            List.of("eleanor", "elinor", "elen", "ellie", "nell", "nellie", "elenor"),
            List.of("jane", "sian", "shan", "janey"),
            List.of("mary", "mair", "mari", "molly", "polly"),
            List.of("anne", "ann", "annie", "anna", "ani"),
            List.of("hugh", "huw", "hywel"),
            List.of("owen", "owain", "owayne"),
            List.of("henry", "harry", "harri", "hal"),
            List.of("charles", "charlie", "chas", "siarl"),
            List.of("charlotte", "lottie", "charlie", "lotte"),
            List.of("alexander", "alex", "alec", "sandy", "alecsander"),
            List.of("alexandra", "alex", "lexi", "sandra"),
            List.of("daniel", "dan", "danny", "deiniol"),
            List.of("matthew", "matt", "mathew", "mathau", "matty"),
            List.of("samuel", "sam", "sammy"),
            List.of("samantha", "sam", "sammie"),
            List.of("benjamin", "ben", "benny", "benji"),
            List.of("joseph", "joe", "joey", "joseff"),
            List.of("michael", "mike", "mikey", "mick", "mihangel"),
            List.of("christopher", "chris", "kit"),
            List.of("nicholas", "nick", "nicky", "nico"),
            List.of("jennifer", "jenny", "jen", "jenifer"),
            List.of("rebecca", "becky", "becca"),
            List.of("victoria", "vicky", "tori"),
            List.of("jessica", "jess", "jessie"),
            List.of("abigail", "abbie", "abby", "abi"),
            List.of("olivia", "liv", "livvy", "livia"),
            List.of("oliver", "ollie", "olly"),
            List.of("isabella", "isabel", "isobel", "izzy", "bella", "isabelle"),
            List.of("sophie", "sophia", "soph"),
            List.of("rhys", "reece", "reese", "rees"),
            List.of("gwen", "gwendolen", "gwenllian", "gwenny"),
            List.of("margaret", "maggie", "mared", "peggy", "megan", "meg"),
            List.of("peter", "pete", "pedr"),
            List.of("stephen", "steven", "steve", "steffan", "stefan"),
            List.of("andrew", "andy", "drew", "andreas"),
            List.of("frederick", "freddie", "freddy", "fred"),
            List.of("theodore", "theo", "teddy"),
            List.of("arthur", "art", "arthyr"),
            List.of("george", "georgie", "siors"));

    private static final Map<String, List<Integer>> GROUPS_OF = new HashMap<>();

    static {
        for (int g = 0; g < GROUPS.size(); g++) {
            for (String name : GROUPS.get(g)) {
                GROUPS_OF.computeIfAbsent(name, k -> new ArrayList<>()).add(g);
            }
        }
    }

    private NameVariants() {
    }

    /** True when the two normalised names are forms of one name (not when they are simply equal). */
    static boolean variants(String a, String b) {
        List<Integer> ga = GROUPS_OF.get(a);
        List<Integer> gb = GROUPS_OF.get(b);
        if (ga == null || gb == null) {
            return false;
        }
        return ga.stream().anyMatch(gb::contains);
    }

    /**
     * One key per name for blocking: the first form of its first group (Millie and Amelia both give
     * "amelia"), or the name itself when it has no known variants.
     */
    static String canonical(String name) {
        List<Integer> g = GROUPS_OF.get(name);
        return g == null ? name : GROUPS.get(g.get(0)).get(0);
    }

    /** Every group a name belongs to, for tests and evidence. */
    static Set<String> forms(String name) {
        List<Integer> g = GROUPS_OF.get(name);
        if (g == null) {
            return Set.of(name);
        }
        java.util.Set<String> all = new java.util.TreeSet<>();
        g.forEach(i -> all.addAll(GROUPS.get(i)));
        return all;
    }
}
