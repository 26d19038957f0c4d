package org.childrensgateway.access;

import java.util.Set;

/**
 * Which organisation a feed, an ingest job or a quarantined record belongs to, for the route
 * table's feed rules. A feed is bound to its organisation in its mapping ({@code organisation} in
 * feed.yaml); jobs and quarantined records belong to their feed. Empty when nothing of that name exists.
 */
public interface FeedOwnership {

    Set<String> ofFeed(String feed);

    Set<String> ofJob(String jobId);

    Set<String> ofQuarantined(String entryId);
}
