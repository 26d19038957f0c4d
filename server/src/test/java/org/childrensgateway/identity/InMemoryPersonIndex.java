package org.childrensgateway.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The person index tables held in memory, for the population test's extra feed orders only: the
 * production {@link PersonLinker} and {@link LinkDecider} run unchanged on top of it, so a run costs
 * milliseconds instead of a database round trip per step. The test checks that it gives exactly the
 * partition the PostgreSQL index gives for the same records in the same order, so it simulates the
 * real thing rather than replacing it. Only what matching uses is implemented.
 */
final class InMemoryPersonIndex extends PersonIndexStore {

    private final Map<String, PersonFeatures> features = new HashMap<>();
    private final Map<String, Set<String>> keysOf = new HashMap<>();
    private final Map<String, Set<String>> sourcesByKey = new HashMap<>();
    private final Map<String, Link> current = new HashMap<>();
    private final Map<String, Set<String>> rejected = new HashMap<>();
    private final Map<String, TreeSet<String>> members = new HashMap<>();
    private final Map<String, String> reviews = new LinkedHashMap<>();
    private final Map<Long, String> sourceOfLink = new HashMap<>();
    private long seq;

    InMemoryPersonIndex() {
        super(null, null, null);
    }

    @Override
    void saveFeatures(String pool, PersonFeatures f, Set<String> keys) {
        features.put(f.sourceId(), f);
        for (String k : keysOf.getOrDefault(f.sourceId(), Set.of())) {
            sourcesByKey.get(k).remove(f.sourceId());
        }
        keysOf.put(f.sourceId(), new HashSet<>(keys));
        keys.forEach(k -> sourcesByKey.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(f.sourceId()));
    }

    @Override
    SourceState state(String pool, String sourceId) {
        return new SourceState(Optional.ofNullable(current.get(sourceId)), Set.copyOf(rejected.getOrDefault(sourceId, Set.of())));
    }

    @Override
    public List<String> members(String pool, String childId) {
        return new ArrayList<>(members.getOrDefault(childId, new TreeSet<>()));
    }

    @Override
    List<LinkDecider.Candidate> candidates(String pool, Set<String> keys, String excludeSourceId, int limit) {
        Set<String> hits = new LinkedHashSet<>();
        for (String k : keys) {
            for (String s : sourcesByKey.getOrDefault(k, Set.of())) {
                if (!s.equals(excludeSourceId) && hits.size() < limit) {
                    hits.add(s);
                }
            }
        }
        Set<String> children = new LinkedHashSet<>();
        hits.forEach(h -> Optional.ofNullable(current.get(h)).ifPresent(l -> children.add(l.childId())));
        List<LinkDecider.Candidate> out = new ArrayList<>();
        for (String child : children) {
            for (String m : members.get(child)) {
                if (!m.equals(excludeSourceId)) {
                    out.add(new LinkDecider.Candidate(features.get(m), child, current.get(m).method()));
                }
            }
        }
        return out;
    }

    @Override
    void lockPool(String pool, boolean exclusive) {
    }

    @Override
    boolean tryLockKeys(String pool, Set<String> keys) {
        return true;
    }

    @Override
    long insertLink(String pool, String sourceId, String childId, String status, String method, MatchResult result, String by) {
        long id = ++seq;
        if ("rejected".equals(status)) {
            rejected.computeIfAbsent(sourceId, k -> new HashSet<>()).add(childId);
            return id;
        }
        sourceOfLink.put(id, sourceId);
        current.put(sourceId, new Link(id, pool, sourceId, childId, status, method, result == null ? null : result.score(),
                result == null ? null : result.evidence(), Instant.EPOCH, by, null, null, null));
        members.computeIfAbsent(childId, k -> new TreeSet<>()).add(sourceId);
        return id;
    }

    @Override
    void endLink(long id, String by, String reason) {
        Optional.ofNullable(sourceOfLink.get(id)).map(current::get).filter(l -> l.id() == id).ifPresent(l -> {
            current.remove(l.sourceId());
            members.get(l.childId()).remove(l.sourceId());
        });
    }

    @Override
    void openReview(String pool, String sourceId, String childId, MatchResult result, String reason) {
        reviews.put(sourceId + "|" + childId, reason);
    }

    @Override
    Map<String, String> childrenOf(String pool, Collection<String> sourceIds) {
        Map<String, String> out = new HashMap<>();
        sourceIds.forEach(s -> Optional.ofNullable(current.get(s)).ifPresent(l -> out.put(s, l.childId())));
        return out;
    }

    @Override
    List<PersonFeatures> allFeatures(String pool) {
        return features.values().stream().sorted(java.util.Comparator.comparing(PersonFeatures::sourceId)).toList();
    }

    @Override
    Map<String, Link> currentLinks(String pool) {
        return new HashMap<>(current);
    }

    @Override
    void supersedeOpenReviews(String pool, Collection<String> sourceIds, String by) {
        Set<String> ids = new HashSet<>(sourceIds);
        reviews.keySet().removeIf(k -> ids.contains(k.substring(0, k.indexOf('|'))));
    }

    int reviewCount() {
        return reviews.size();
    }
}
