package org.childrensgateway.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Given-name equivalences: common nicknames and Welsh/English forms. Children are registered by
 * one system under their birth name and known by another under a nickname (Amelia/Millie) or the
 * Welsh form (John/Siôn, David/Dafydd), so agreement on a variant counts almost as much as an
 * exact one. The table is data, not code ({@code identity/name-variants.txt}, one group a line), so
 * the data-quality desk can review and extend it. Names are compared in {@link Names#normalise}
 * form (lower case, accents folded). A name may belong to more than one group (Charlie: Charles
 * and Charlotte).
 */
final class NameVariants {

    static final String RESOURCE = "/identity/name-variants.txt";

    private static final List<List<String>> GROUPS = load(RESOURCE);
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

    /** Groups from a table: one group a line, comma separated, {@code #} starts a comment. */
    static List<List<String>> load(String resource) {
        List<List<String>> groups = new ArrayList<>();
        try (InputStream in = NameVariants.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Name variant table " + resource + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                int hash = line.indexOf('#');
                String body = (hash < 0 ? line : line.substring(0, hash)).trim();
                if (body.isEmpty()) {
                    continue;
                }
                List<String> group = new ArrayList<>();
                for (String name : body.split(",")) {
                    String n = Names.normalise(name);
                    if (n != null && !group.contains(n)) {
                        group.add(n);
                    }
                }
                if (group.size() > 1) {
                    groups.add(List.copyOf(group));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(groups);
    }

    /** True when the two normalised names are forms of one name (not when they are simply equal). */
    static boolean variants(String a, String b) {
        List<Integer> ga = GROUPS_OF.get(a);
        List<Integer> gb = GROUPS_OF.get(b);
        if (ga == null || gb == null || a.equals(b)) {
            return false;
        }
        for (Integer g : ga) {
            if (gb.contains(g)) {
                return true;
            }
        }
        return false;
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
        Set<String> all = new TreeSet<>();
        g.forEach(i -> all.addAll(GROUPS.get(i)));
        return all;
    }
}
