package org.childrensgateway.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what to do with one source record given the child records it might belong to: every
 * member of each child record that holds a record sharing a blocking key with it. Pure: no
 * database, so the population test and the benchmark exercise exactly the rules production uses.
 *
 * <p>A child record is judged as a whole, never by its best-scoring source alone:
 * <ol>
 *   <li><b>Constraints.</b> A record never joins a child record any of whose sources holds a
 *       different valid NHS number (verified or not), nor one holding another record of the same
 *       source system (one system's two ids are two registrations, so two children). However well it
 *       scores against another source, a violated constraint only ever makes a review task, with
 *       the conflicting source in the evidence.</li>
 *   <li><b>Same valid NHS number</b>: link, unless the demographics flatly contradict (two of given
 *       name, family name and date of birth disagree, or date of birth and sex both disagree), which
 *       goes to review instead.</li>
 *   <li><b>Otherwise</b> the best Fellegi–Sunter score per child record links automatically only if
 *       it reaches the upper threshold, is <i>corroborated</i> (postcode, first address line or a carer
 *       agree: name and date of birth alone are shared by different children in different towns)
 *       and leads every other child record by {@code autoLinkMargin}, and there is a forename to
 *       compare (a placeholder links only by NHS number). Otherwise scores from the lower
 *       threshold up become review tasks; below, the record starts a new child record.</li>
 * </ol>
 */
final class LinkDecider {

    /**
     * A record that may belong to an existing child record, the child record it belongs to, and how
     * that link was made (new, auto, nhs, manual, review).
     */
    record Candidate(PersonFeatures features, String childId, String method) {

        Candidate(PersonFeatures features, String childId) {
            this(features, childId, null);
        }
    }

    /** A possible match for a reviewer. */
    record Proposal(String childId, MatchResult result, String reason) {
    }

    /**
     * The decision: {@code childId} null means "a new child record"; {@code method} is nhs or auto for
     * links; {@code reviews} are proposals to put in front of a person.
     */
    record Decision(String childId, String method, MatchResult result, List<Proposal> reviews) {

        boolean links() {
            return childId != null;
        }
    }

    /** One child record seen from the arriving record. */
    private static final class Cluster {
        final String childId;
        MatchResult best;
        boolean nhsAgrees;
        String nhsConflict;     // source id of a member holding a different NHS number
        String systemConflict;  // source id of a member from the same source system
        boolean corroborated;   // some member agrees on postcode, address or a carer (and scores at least the lower threshold)

        Cluster(String childId) {
            this.childId = childId;
        }

        boolean violated() {
            return nhsConflict != null || systemConflict != null;
        }

        double score() {
            return best.score();
        }
    }

    private static final int MAX_REVIEWS = 3;

    private final LinkageSettings settings;

    LinkDecider(LinkageSettings settings) {
        this.settings = settings;
    }

    Decision decide(PersonFeatures record, Collection<Candidate> candidates, Set<String> rejectedChildren) {
        Map<String, Cluster> clusters = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            PersonFeatures m = c.features();
            if (c.childId() == null || rejectedChildren.contains(c.childId()) || m.sourceId().equals(record.sourceId())) {
                continue;
            }
            Cluster k = clusters.computeIfAbsent(c.childId(), Cluster::new);
            MatchResult r = MatchScorer.compare(record, m);
            boolean sameNhs = record.nhs() != null && record.nhs().equals(m.nhs());
            if (sameNhs && !k.nhsAgrees) {
                k.nhsAgrees = true;
                k.best = r; // the NHS-agreeing comparison is that child's evidence
            } else if (k.best == null || (sameNhs || !k.nhsAgrees) && r.score() > k.best.score()) {
                k.best = r;
            }
            // Corroboration may come from any of the child's records: the centre record that agrees with
            // SystmOne on the carer but with RiO (which records no carers) only on name and date of birth.
            if (!k.corroborated && r.score() >= settings.lowerThreshold() && corroborated(r)) {
                k.corroborated = true;
            }
            if (record.nhs() != null && m.nhs() != null && !sameNhs && k.nhsConflict == null) {
                k.nhsConflict = m.sourceId();
            }
            if (record.system() != null && record.system().equals(m.system()) && k.systemConflict == null) {
                k.systemConflict = m.sourceId();
            }
        }
        List<Cluster> ranked = new ArrayList<>(clusters.values());
        ranked.sort(Comparator.comparingDouble(Cluster::score).reversed().thenComparing(k -> k.childId));

        List<Cluster> nhs = ranked.stream().filter(k -> k.nhsAgrees).toList();
        if (!nhs.isEmpty()) {
            Cluster k = nhs.get(0);
            if (k.violated()) {
                return review(k, conflictReason(k));
            }
            if (contradicts(k.best)) {
                return review(k, "same NHS number but the demographics contradict");
            }
            return new Decision(k.childId, "nhs", k.best, List.of());
        }

        Cluster top = ranked.stream().filter(k -> !k.violated()).findFirst().orElse(null);
        double runnerUp = ranked.stream().filter(k -> k != top).mapToDouble(Cluster::score).max().orElse(Double.NEGATIVE_INFINITY);
        boolean reaches = top != null && top.score() >= settings.upperThreshold();
        boolean corroborated = top != null && top.corroborated;
        boolean clear = top != null && top.score() - runnerUp >= settings.autoLinkMargin();
        // No name to compare (a placeholder such as "Baby" or "Twin 1"): a household's newborn twins
        // look identical, and the other twin's child record may not exist yet, so only an NHS number links.
        boolean named = top != null && !"missing".equals(top.best.level("given"));
        if (reaches && corroborated && clear && named) {
            return new Decision(top.childId, "auto", top.best, List.of());
        }
        List<Proposal> reviews = new ArrayList<>();
        for (Cluster k : ranked) {
            if (reviews.size() == MAX_REVIEWS || k.score() < settings.lowerThreshold()) {
                break;
            }
            String reason;
            if (k.violated()) {
                reason = conflictReason(k);
            } else if (k == top && reaches && !corroborated) {
                reason = "name and date of birth agree but no address, postcode or carer corroborates";
            } else if (k == top && reaches && !named) {
                reason = "no forename to compare (placeholder) and no NHS number in common";
            } else if (k.score() >= settings.upperThreshold() || runnerUp >= settings.upperThreshold()) {
                reason = "ambiguous: another child record scores within the margin";
            } else {
                reason = "score between the thresholds";
            }
            reviews.add(new Proposal(k.childId, withConflict(k), reason));
        }
        return new Decision(null, null, null, reviews);
    }

    private static Decision review(Cluster k, String reason) {
        return new Decision(null, null, null, List.of(new Proposal(k.childId, withConflict(k), reason)));
    }

    private static String conflictReason(Cluster k) {
        if (k.nhsConflict != null) {
            return "the child record holds a different NHS number (Patient/" + k.nhsConflict + ")";
        }
        return "the child record holds another record of the same source system (Patient/" + k.systemConflict + ")";
    }

    /** The comparison plus the constraint it breaks, so the reviewer sees why it was not linked. */
    private static MatchResult withConflict(Cluster k) {
        if (!k.violated()) {
            return k.best;
        }
        List<Evidence> ev = new ArrayList<>(k.best.evidence());
        if (k.nhsConflict != null) {
            ev.add(new Evidence("child-record-nhs", "conflict", 0));
        }
        if (k.systemConflict != null) {
            ev.add(new Evidence("child-record-system", "conflict", 0));
        }
        return new MatchResult(k.best.score(), List.copyOf(ev));
    }

    /** Something beyond name, date of birth and sex agrees: where the child lives, or who cares for them. */
    static boolean corroborated(MatchResult r) {
        return "agree".equals(r.level("postcode")) || "agree".equals(r.level("address")) || "agree".equals(r.level("carers"));
    }

    /** The same NHS number on records that plainly describe different children is a data error, not a link. */
    static boolean contradicts(MatchResult r) {
        int disagreements = (r.disagrees("given") ? 1 : 0) + (r.disagrees("family") ? 1 : 0) + (r.disagrees("birthDate") ? 1 : 0);
        return disagreements >= 2 || (r.disagrees("birthDate") && r.disagrees("sex"));
    }
}
