package org.childrensgateway.identity;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Keeps the person index: matches an arriving record, and performs the manual operations (link,
 * unlink, accept and reject a review). Works on ids only; turning the index into child-record
 * resources is {@link ChildRecordWriter}'s job. Every method returns the child records whose
 * membership changed, so the caller can rewrite exactly those. Runs inside the caller's transaction.
 */
@Component
public class PersonLinker {

    public static final String SYSTEM_USER = "gateway-matcher";
    /** Most neighbours matched again after one record (bounds a pathological block). */
    static final int MAX_NEIGHBOURS = 20;

    private final PersonIndexStore index;
    private final LinkDecider decider;
    private final LinkageSettings settings;

    private final org.childrensgateway.operations.GatewayMetrics metrics;

    public PersonLinker(PersonIndexStore index, LinkageSettings settings, org.childrensgateway.operations.GatewayMetrics metrics) {
        this.metrics = metrics;
        this.index = index;
        this.settings = settings;
        this.decider = new LinkDecider(settings);
        PlaceholderNames.configure(settings.placeholderForenames());
    }

    /**
     * Matches one source record. A record already linked keeps its link (a person may have confirmed
     * it), unless it is alone in a child record it was given automatically: then it is matched again,
     * because a later update (an NHS number added, a typo fixed) may show where it belongs.
     *
     * <p>Then the records near it that are still alone in a child record of their own (made
     * automatically) are matched again too: the child record they could not join before may now hold
     * what corroborates them (a centre record that only agreed on name and date of birth with RiO
     * agrees on the address with the SystmOne record that has just joined), and when the record itself
     * started a child record, a neighbour decides from its side too (whose other candidates differ),
     * as it would have had it arrived second. Without this the result depended on the feed order.
     *
     * <p>The caller holds the locks on the record's blocking keys: {@link IdentityService#process}
     * takes those of the whole transaction at once, in one order, so that transactions cannot deadlock.
     * A neighbour's keys are only tried (never waited for); a neighbour another transaction is
     * matching is left to that transaction.
     */
    public Set<String> match(String pool, PersonFeatures f) {
        Set<String> keys = BlockingKeys.of(f);
        index.saveFeatures(pool, f, keys);
        Set<String> affected = new LinkedHashSet<>();
        Outcome outcome = decideAndApply(pool, f, keys, affected, null);
        if (outcome != null) {
            rematchNeighbours(pool, f, outcome.candidates(), affected, true);
        }
        return affected;
    }

    /** Links a batch re-match may undo: those the matcher made. A person's decisions (manual, review) stay. */
    static final Set<String> AUTOMATIC = Set.of("new", "auto", "nhs");

    /**
     * Batch re-match: every link the matcher made in the pool is undone and the records are matched
     * again, one by one, in a canonical order (source priority, then the record's content), exactly
     * as arriving records are. The result depends only on the records and on people's decisions
     * (manual links, accepted and rejected reviews, unlinks), never on the order the records arrived
     * in: two arrival orders give the same child records after it. A record that starts a child record
     * takes back the id of the one it was in if that is free, so ids stay where they were wherever the
     * grouping is unchanged. A child record a person shaped (a manual link, an accepted review) is
     * kept whole. The caller holds the pool's lock exclusively.
     */
    public Set<String> settle(String pool) {
        Map<String, PersonIndexStore.Link> links = index.currentLinks(pool);
        Map<String, String> previous = new HashMap<>();
        List<PersonFeatures> redo = new java.util.ArrayList<>();
        Set<String> affected = new LinkedHashSet<>();
        // A child record a person has shaped (a manual link, an accepted review) is kept whole: the
        // person judged the record it joined, not only the link it made.
        Set<String> decided = new java.util.HashSet<>();
        links.values().stream().filter(l -> !AUTOMATIC.contains(l.method())).forEach(l -> decided.add(l.childId()));
        for (PersonFeatures f : index.allFeatures(pool)) {
            PersonIndexStore.Link l = links.get(f.sourceId());
            if (l != null && decided.contains(l.childId())) {
                continue;
            }
            if (l != null) {
                index.endLink(l.id(), SYSTEM_USER, "re-matched (batch)");
                previous.put(f.sourceId(), l.childId());
                affected.add(l.childId());
            }
            redo.add(f);
        }
        index.supersedeOpenReviews(pool, redo.stream().map(PersonFeatures::sourceId).toList(), SYSTEM_USER);
        redo.sort(canonicalOrder());
        for (PersonFeatures f : redo) {
            Set<String> keys = BlockingKeys.of(f);
            Outcome outcome = decideAndApply(pool, f, keys, affected, previous.get(f.sourceId()));
            if (outcome != null) {
                rematchNeighbours(pool, f, outcome.candidates(), affected, false);
            }
        }
        return affected;
    }

    /** Source priority, then what the record says (so the order is the same however the records arrived), then its id. */
    private java.util.Comparator<PersonFeatures> canonicalOrder() {
        java.util.Comparator<String> text = java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder());
        return java.util.Comparator.<PersonFeatures>comparingInt(f -> settings.rank(f.source()))
                .thenComparing(PersonFeatures::family, text)
                .thenComparing(f -> String.join(" ", f.given()), text)
                .thenComparing(PersonFeatures::birthDate, text)
                .thenComparing(PersonFeatures::nhs, text)
                .thenComparing(PersonFeatures::postcode, text)
                .thenComparing(PersonFeatures::address, text)
                .thenComparing(PersonFeatures::system, text)
                .thenComparing(PersonFeatures::sourceId, text);
    }

    /** What matching one record did: whether it joined an existing child record, and the candidates it saw. */
    private record Outcome(boolean joined, List<LinkDecider.Candidate> candidates) {
    }

    /** Decides and applies the decision for one record; null when the record keeps the link it has. */
    private Outcome decideAndApply(String pool, PersonFeatures f, Set<String> keys, Set<String> affected, String formerChild) {
        PersonIndexStore.SourceState state = index.state(pool, f.sourceId());
        Optional<PersonIndexStore.Link> current = state.current();
        if (current.isPresent()) {
            affected.add(current.get().childId());
            boolean rematch = "new".equals(current.get().method()) && index.members(pool, current.get().childId()).size() == 1;
            if (!rematch) {
                return null;
            }
        }
        List<LinkDecider.Candidate> candidates = index.candidates(pool, keys, f.sourceId(), settings.maxCandidates());
        LinkDecider.Decision d = decider.decide(f, candidates, state.rejected());
        String childId;
        if (d.links()) {
            if (current.isPresent()) {
                index.endLink(current.get().id(), SYSTEM_USER, "matched to another child record after an update");
            }
            index.insertLink(pool, f.sourceId(), d.childId(), "linked", d.method(), d.result(), SYSTEM_USER);
            childId = d.childId();
            metrics.linkageOutcome("linked");
        } else if (current.isPresent()) {
            childId = current.get().childId();
        } else {
            childId = formerChild != null && index.members(pool, formerChild).isEmpty() ? formerChild : newChildId();
            index.insertLink(pool, f.sourceId(), childId, "linked", "new", null, SYSTEM_USER);
            metrics.linkageOutcome("new_record");
        }
        affected.add(childId);
        for (LinkDecider.Proposal p : d.reviews()) {
            if (!p.childId().equals(childId)) {
                index.openReview(pool, f.sourceId(), p.childId(), p.result(), p.reason());
                metrics.linkageOutcome("possible_match");
            }
        }
        return new Outcome(d.links(), candidates);
    }

    /**
     * Matches again the candidates of {@code f} that are alone in a child record made automatically
     * and that look enough like {@code f} (at least the lower threshold) for its joining to matter.
     */
    private void rematchNeighbours(String pool, PersonFeatures f, List<LinkDecider.Candidate> candidates, Set<String> affected,
                                   boolean lockKeys) {
        Map<String, Integer> sizes = new HashMap<>();
        candidates.forEach(c -> sizes.merge(c.childId(), 1, Integer::sum));
        int rematched = 0;
        for (LinkDecider.Candidate c : candidates) {
            if (rematched == MAX_NEIGHBOURS) {
                break;
            }
            if (!"new".equals(c.method()) || sizes.get(c.childId()) != 1 || !couldNowJoin(c.features(), f)) {
                continue;
            }
            rematched++;
            Set<String> keys = BlockingKeys.of(c.features());
            // A batch re-match holds the whole pool: no key lock (thousands would exhaust the lock table).
            if (!lockKeys || index.tryLockKeys(pool, keys)) {
                decideAndApply(pool, c.features(), keys, affected, null);
            }
        }
    }

    /**
     * Only a neighbour that {@code f} corroborates, and that {@code f} does not rule out (a different NHS
     * number, the same source system), can have become linkable because of {@code f}. Without this
     * filter a block of look-alike records of one system (a load test: 300 "Child Loadtest" at one
     * address) re-matched every record against every other.
     */
    private boolean couldNowJoin(PersonFeatures neighbour, PersonFeatures f) {
        if (neighbour.nhs() != null && f.nhs() != null && !neighbour.nhs().equals(f.nhs())) {
            return false;
        }
        if (neighbour.system() != null && neighbour.system().equals(f.system())) {
            return false;
        }
        MatchResult r = MatchScorer.compare(neighbour, f);
        return r.score() >= settings.lowerThreshold() && LinkDecider.corroborated(r);
    }

    /** A source record was deleted: it leaves its child record (the link history stays). */
    public Set<String> remove(String pool, String sourceId) {
        Set<String> affected = new LinkedHashSet<>();
        index.currentLink(pool, sourceId).ifPresent(l -> {
            index.endLink(l.id(), SYSTEM_USER, "source record deleted");
            affected.add(l.childId());
        });
        index.removeFeatures(pool, sourceId);
        return affected;
    }

    /** Manual link by a data-quality user: the source leaves its current child record and joins {@code childId}. */
    public Set<String> link(String pool, String sourceId, String childId, String by, String method) {
        if (!index.isChild(pool, childId)) {
            throw new ResourceNotFoundException(childId + " is not a child record");
        }
        PersonIndexStore.Link current = index.currentLink(pool, sourceId)
                .orElseThrow(() -> new ResourceNotFoundException(sourceId + " is not a source record in the person index"));
        Set<String> affected = new LinkedHashSet<>();
        if (current.childId().equals(childId)) {
            return affected;
        }
        index.endLink(current.id(), by, "moved to another child record (" + method + ")");
        index.endRejection(pool, sourceId, childId, by);
        MatchResult evidence = index.features(pool, sourceId).flatMap(f -> best(pool, f, childId)).orElse(null);
        index.insertLink(pool, sourceId, childId, "linked", method, evidence, by);
        index.supersedeReviews(pool, sourceId, childId, "accepted", by);
        affected.add(current.childId());
        affected.add(childId);
        return affected;
    }

    /**
     * Unlink: the source leaves {@code childId} and the pair is remembered as rejected, so matching
     * never joins them again. The source returns to the child record it was in before it joined
     * (restoring that record exactly, with the earlier link's method, score and evidence) or, if it
     * never had another, starts a new one.
     */
    public Set<String> unlink(String pool, String sourceId, String childId, String by) {
        PersonIndexStore.Link current = index.currentLink(pool, sourceId)
                .filter(l -> l.childId().equals(childId))
                .orElseThrow(() -> new InvalidRequestException(sourceId + " is not linked to child record " + childId));
        if (index.members(pool, childId).size() == 1) {
            throw new InvalidRequestException(sourceId + " is the only record in " + childId + "; there is nothing to unlink it from");
        }
        index.endLink(current.id(), by, "unlinked");
        index.insertLink(pool, sourceId, childId, "rejected", "manual", null, by);
        Optional<PersonIndexStore.Link> previous = index.historyOfSource(pool, sourceId).stream()
                .filter(l -> "linked".equals(l.status()) && !l.childId().equals(childId) && l.ended() != null)
                .findFirst();
        Set<String> affected = new LinkedHashSet<>();
        affected.add(childId);
        if (previous.isPresent() && !index.rejectedChildren(pool, sourceId).contains(previous.get().childId())) {
            PersonIndexStore.Link p = previous.get();
            index.insertLink(pool, sourceId, p.childId(), p.method(), p.score(), p.evidence(), by);
            affected.add(p.childId());
        } else {
            String fresh = newChildId();
            index.insertLink(pool, sourceId, fresh, "linked", "manual", null, by);
            affected.add(fresh);
        }
        return affected;
    }

    public Set<String> acceptReview(long reviewId, String by) {
        PersonIndexStore.Review r = openReview(reviewId);
        Set<String> affected = link(r.pool(), r.sourceId(), r.candidateChildId(), by, "review");
        index.resolveReview(reviewId, "accepted", by);
        return affected;
    }

    public void rejectReview(long reviewId, String by) {
        PersonIndexStore.Review r = openReview(reviewId);
        index.insertLink(r.pool(), r.sourceId(), r.candidateChildId(), "rejected", "review", null, by);
        index.resolveReview(reviewId, "rejected", by);
    }

    private PersonIndexStore.Review openReview(long id) {
        PersonIndexStore.Review r = index.review(id).orElseThrow(() -> new ResourceNotFoundException("Review task " + id + " not found"));
        if (!"open".equals(r.status())) {
            throw new InvalidRequestException("Review task " + id + " is already " + r.status());
        }
        return r;
    }

    /** The best comparison of a record with the members of a child record (evidence for manual links). */
    Optional<MatchResult> best(String pool, PersonFeatures f, String childId) {
        return index.features(pool, index.members(pool, childId)).stream().map(m -> MatchScorer.compare(f, m))
                .max(java.util.Comparator.comparingDouble(MatchResult::score));
    }

    static String newChildId() {
        return UUID.randomUUID().toString();
    }
}
