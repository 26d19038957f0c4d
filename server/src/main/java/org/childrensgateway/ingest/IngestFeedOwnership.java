package org.childrensgateway.ingest;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.childrensgateway.access.FeedOwnership;
import org.childrensgateway.mappers.MappingRegistry;
import org.springframework.stereotype.Component;

/** A feed belongs to the organisation its mapping names; its jobs and quarantined records belong to the feed. */
@Component
public class IngestFeedOwnership implements FeedOwnership {

    private final MappingRegistry mappings;
    private final IngestJobStore jobs;
    private final QuarantineStore quarantine;

    public IngestFeedOwnership(MappingRegistry mappings, IngestJobStore jobs, QuarantineStore quarantine) {
        this.mappings = mappings;
        this.jobs = jobs;
        this.quarantine = quarantine;
    }

    @Override
    public Set<String> ofFeed(String feed) {
        Set<String> owners = new LinkedHashSet<>();
        if (feed != null && mappings.feeds().contains(feed)) {
            for (String file : mappings.files(feed)) {
                String org = mappings.mapping(feed, file).organisation;
                if (org != null && !org.isBlank()) {
                    owners.add(org);
                }
            }
        }
        return owners;
    }

    /** The organisations whose feeds these are (for listing only the caller's own quarantine). */
    public Set<String> feedsOf(String organisation) {
        Set<String> feeds = new LinkedHashSet<>();
        for (String feed : mappings.feeds()) {
            if (ofFeed(feed).contains(organisation)) {
                feeds.add(feed);
            }
        }
        return feeds;
    }

    @Override
    public Set<String> ofJob(String jobId) {
        try {
            return jobs.find(UUID.fromString(jobId)).map(j -> ofFeed(j.feed())).orElse(Set.of());
        } catch (IllegalArgumentException e) {
            return Set.of(); // not a job id: as a missing job
        }
    }

    @Override
    public Set<String> ofQuarantined(String entryId) {
        try {
            return quarantine.find(Long.parseLong(entryId)).map(q -> ofFeed(q.feed())).orElse(Set.of());
        } catch (NumberFormatException e) {
            return Set.of();
        }
    }
}
