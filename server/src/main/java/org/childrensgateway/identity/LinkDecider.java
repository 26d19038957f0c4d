package org.childrensgateway.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what to do with one source record given its candidates (records sharing a blocking key)
 * and the child record each candidate belongs to. Pure: no database, so the population test and the
 * benchmark exercise exactly the rules production uses.
 *
 * <ol>
 *   <li>Same valid NHS number: link, unless the demographics flatly contradict (two of given name,
 *       family name and date of birth disagree, or date of birth and sex both disagree), which goes to
 *       review instead.</li>
 *   <li>Otherwise the best Fellegi–Sunter score per child record: at or above the upper threshold
 *       link (unless two child records both reach it: ambiguous, review both; or the records hold
 *       different NHS numbers: review); between the thresholds review; below, a new child record.</li>
 * </ol>
 */
final class LinkDecider {

    /** A candidate record and the child record it currently belongs to. */
    record Candidate(PersonFeatures features, String childId) {
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

    private static final int MAX_REVIEWS = 3;

    private final LinkageSettings settings;

    LinkDecider(LinkageSettings settings) {
        this.settings = settings;
    }

    Decision decide(PersonFeatures record, Collection<Candidate> candidates, Set<String> rejectedChildren) {
        // Best comparison per child record.
        Map<String, MatchResult> best = new LinkedHashMap<>();
        Map<String, Boolean> nhsAgrees = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            if (c.childId() == null || rejectedChildren.contains(c.childId()) || c.features().sourceId().equals(record.sourceId())) {
                continue;
            }
            MatchResult r = MatchScorer.compare(record, c.features());
            best.merge(c.childId(), r, (x, y) -> x.score() >= y.score() ? x : y);
            if (record.nhs() != null && record.nhs().equals(c.features().nhs())) {
                nhsAgrees.put(c.childId(), true);
                // keep the NHS-agreeing comparison as the evidence for that child
                best.put(c.childId(), betterOfNhs(best.get(c.childId()), r));
            }
        }
        if (!nhsAgrees.isEmpty()) {
            String child = nhsAgrees.keySet().stream().max(Comparator.comparingDouble(k -> best.get(k).score())).orElseThrow();
            MatchResult r = best.get(child);
            if (contradicts(r)) {
                return new Decision(null, null, null, List.of(new Proposal(child, r, "same NHS number but the demographics contradict")));
            }
            return new Decision(child, "nhs", r, List.of());
        }
        List<Map.Entry<String, MatchResult>> ranked = new ArrayList<>(best.entrySet());
        ranked.sort(Comparator.comparingDouble((Map.Entry<String, MatchResult> e) -> e.getValue().score()).reversed());
        List<Map.Entry<String, MatchResult>> above = ranked.stream().filter(e -> e.getValue().score() >= settings.upperThreshold()).toList();
        // Two different valid NHS numbers are two different children (twins named alike, a middle name
        // that is the twin's first name): demographics alone never overrule them, a person decides.
        boolean nhsConflict = above.stream().anyMatch(e -> e.getValue().disagrees("nhs"));
        if (above.size() == 1 && !nhsConflict) {
            return new Decision(above.get(0).getKey(), "auto", above.get(0).getValue(), List.of());
        }
        List<Proposal> reviews = ranked.stream().filter(e -> e.getValue().score() >= settings.lowerThreshold()).limit(MAX_REVIEWS)
                .map(e -> new Proposal(e.getKey(), e.getValue(), e.getValue().disagrees("nhs") ? "demographics agree but the NHS numbers differ"
                        : above.size() > 1 ? "ambiguous: more than one child record scores above the upper threshold"
                        : "score between the thresholds"))
                .toList();
        return new Decision(null, null, null, reviews);
    }

    private static MatchResult betterOfNhs(MatchResult current, MatchResult candidate) {
        boolean currentNhs = "agree".equals(current.level("nhs"));
        if (!currentNhs) {
            return candidate;
        }
        return current.score() >= candidate.score() ? current : candidate;
    }

    /** The same NHS number on records that plainly describe different children is a data error, not a link. */
    static boolean contradicts(MatchResult r) {
        int disagreements = (r.disagrees("given") ? 1 : 0) + (r.disagrees("family") ? 1 : 0) + (r.disagrees("birthDate") ? 1 : 0);
        return disagreements >= 2 || (r.disagrees("birthDate") && r.disagrees("sex"));
    }
}
