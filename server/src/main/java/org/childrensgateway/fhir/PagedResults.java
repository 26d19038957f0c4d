package org.childrensgateway.fhir;

import java.util.Date;
import java.util.List;
import org.childrensgateway.search.IncludeSpec;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.InstantType;

/** What both ways of paging a search keep alike: the type searched, its includes and when it ran. */
abstract class PagedResults implements SearchResults {

    private final String resourceType;
    private final List<IncludeSpec> includes;
    private final Date published = new Date();

    PagedResults(String resourceType, List<IncludeSpec> includes) {
        this.resourceType = resourceType;
        this.includes = includes;
    }

    @Override
    public IPrimitiveType<Date> getPublished() {
        return new InstantType(published);
    }

    @Override
    public Integer preferredPageSize() {
        return null; // the caller's _count, or the server's default, decides
    }

    String resourceType() {
        return resourceType;
    }

    List<IncludeSpec> includes() {
        return includes;
    }
}
