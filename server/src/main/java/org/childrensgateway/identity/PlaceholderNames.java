package org.childrensgateway.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Forenames that stand in for a name not given yet ("Baby", "Infant", "Baby of Jones", "Twin 1").
 * Newborns are registered before they are named; two babies called "Baby" on one day are not one
 * child, and "Baby" against "Amelia" is not a disagreement either. So a placeholder is never name
 * evidence: it is dropped from the features, and the real name, when a source sends it, is simply
 * the name. The list is data ({@code identity/placeholder-forenames.txt}) plus any configured in
 * {@code gateway.identity.placeholder-forenames}; a trailing {@code *} matches any further words.
 */
final class PlaceholderNames {

    static final String RESOURCE = "/identity/placeholder-forenames.txt";

    private static volatile PlaceholderNames current = new PlaceholderNames(load(RESOURCE));

    private final Set<String> exact = new LinkedHashSet<>();
    private final List<String> prefixes = new ArrayList<>();

    PlaceholderNames(Collection<String> patterns) {
        for (String p : patterns) {
            String t = p.trim();
            boolean wildcard = t.endsWith("*");
            String n = Names.normalise(wildcard ? t.substring(0, t.length() - 1) : t);
            if (n == null) {
                continue;
            }
            if (wildcard) {
                prefixes.add(n + " ");
            } else {
                exact.add(n);
            }
        }
    }

    /** The list in use: the built-in table plus configured patterns (set once at start-up). */
    static PlaceholderNames current() {
        return current;
    }

    static void configure(Collection<String> extra) {
        List<String> all = new ArrayList<>(load(RESOURCE));
        if (extra != null) {
            all.addAll(extra);
        }
        current = new PlaceholderNames(all);
    }

    /** True when a forename (as sent, or normalised) is a placeholder. */
    boolean isPlaceholder(String forename) {
        String n = Names.normalise(forename);
        if (n == null) {
            return false;
        }
        if (exact.contains(n)) {
            return true;
        }
        for (String p : prefixes) {
            if (n.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    static List<String> load(String resource) {
        List<String> out = new ArrayList<>();
        try (InputStream in = PlaceholderNames.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Placeholder forename list " + resource + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                int hash = line.indexOf('#');
                String body = (hash < 0 ? line : line.substring(0, hash)).trim();
                if (!body.isEmpty()) {
                    out.add(body);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
