package org.childrensgateway.identity;

import java.util.List;

/** The score of one comparison and the evidence behind it. */
public record MatchResult(double score, List<Evidence> evidence) {

    String level(String field) {
        return evidence.stream().filter(e -> e.field().equals(field)).map(Evidence::level).findFirst().orElse("missing");
    }

    boolean disagrees(String field) {
        return "disagree".equals(level(field));
    }
}
