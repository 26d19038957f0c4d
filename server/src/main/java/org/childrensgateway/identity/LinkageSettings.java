package org.childrensgateway.identity;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Tunable linkage settings ({@code gateway.identity.*}).
 *
 * @param upperThreshold       score at or above which records may link automatically
 * @param lowerThreshold       score at or above which (and below the upper) a review task is created
 * @param sourcePriority       feeds in survivorship order: the first that holds an element supplies it
 * @param maxCandidates        most candidate records fetched for one comparison (bounds very common blocks)
 * @param autoLinkMargin       how far the best child record must score above the next one to link
 *                             without a person (a near tie is two children who look alike)
 * @param placeholderForenames forenames standing in for a name, beyond {@code identity/placeholder-forenames.txt}
 */
@ConfigurationProperties("gateway.identity")
public record LinkageSettings(Double upperThreshold, Double lowerThreshold, List<String> sourcePriority, Integer maxCandidates,
                              Double autoLinkMargin, List<String> placeholderForenames) {

    public static final LinkageSettings DEFAULTS = new LinkageSettings(null, null, null, null, null, null);

    public LinkageSettings {
        upperThreshold = upperThreshold == null ? 20.0 : upperThreshold;
        lowerThreshold = lowerThreshold == null ? 8.0 : lowerThreshold;
        sourcePriority = sourcePriority == null ? List.of("systmone", "rio", "childrens-centre") : List.copyOf(sourcePriority);
        maxCandidates = maxCandidates == null ? 200 : maxCandidates;
        autoLinkMargin = autoLinkMargin == null ? 6.0 : autoLinkMargin;
        placeholderForenames = placeholderForenames == null ? List.of() : List.copyOf(placeholderForenames);
    }

    /** Position of a feed in the priority list; unknown feeds come last. */
    int rank(String feed) {
        int i = feed == null ? -1 : sourcePriority.indexOf(feed);
        return i < 0 ? sourcePriority.size() : i;
    }
}
