package org.childrensgateway.fhir;

import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.childrensgateway.consent.Disclosure;
import org.childrensgateway.search.IncludeSpec;
import org.hl7.fhir.r4.model.Resource;
import org.childrensgateway.store.ResourceStore;
import org.childrensgateway.store.StoredResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Loads one page of results: one query for the matches and one per include, never one per resource.
 */
@Component
public class PageLoader {

    private final ResourceStore store;
    private final ResourceCodec codec;
    private final Disclosure disclosure;

    public PageLoader(ResourceStore store, ResourceCodec codec, Disclosure disclosure) {
        this.store = store;
        this.codec = codec;
        this.disclosure = disclosure;
    }

    /**
     * @param checked resources this request's search already loaded and decided, by key: used as
     *                they are (with their decision's reductions) instead of being loaded again
     */
    @Transactional(readOnly = true)
    public List<IBaseResource> searchPage(List<Long> pids, List<IncludeSpec> includes, Map<Long, Disclosure.Checked> checked) {
        Disclosure.Session session = disclosure.session();
        List<StoredResource> matches = new ArrayList<>(pids.size());
        List<Long> toLoad = pids.stream().filter(pid -> !checked.containsKey(pid)).toList();
        Map<Long, StoredResource> loaded = new HashMap<>();
        store.loadCurrent(toLoad).forEach(m -> loaded.put(m.key(), m));
        List<IBaseResource> page = new ArrayList<>();
        for (Long pid : pids) {
            Disclosure.Checked known = checked.get(pid);
            StoredResource m = known != null ? known.stored() : loaded.get(pid);
            if (m == null) {
                continue; // deleted since the search ran
            }
            matches.add(m);
            // A later page's keys were filtered when the search ran; deciding again applies element
            // reductions and catches anything whose consent changed since.
            Optional<Resource> released = known != null
                    ? session.release(known.resource(), known.decision())
                    : session.apply((Resource) codec.decode(m));
            released.ifPresent(r -> {
                ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(r, BundleEntrySearchModeEnum.MATCH);
                page.add(r);
            });
        }
        Map<String, StoredResource> included = new LinkedHashMap<>();
        for (IncludeSpec include : includes) {
            List<StoredResource> found = include.reverse()
                    ? store.loadRevIncludes(matches, include.sourceType(), include.param())
                    : store.loadIncludes(pids, include.sourceType(), include.param(), include.targetType());
            found.forEach(f -> included.putIfAbsent(f.type() + "/" + f.id(), f));
        }
        matches.forEach(m -> included.remove(m.type() + "/" + m.id()));
        for (StoredResource inc : included.values()) {
            session.apply((Resource) codec.decode(inc)).ifPresent(r -> {
                ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(r, BundleEntrySearchModeEnum.INCLUDE);
                page.add(r);
            });
        }
        return page;
    }

    @Transactional(readOnly = true)
    public List<IBaseResource> historyPage(List<Long> hids) {
        Disclosure.Session session = disclosure.session();
        // Entries were filtered when the history was listed; reductions still apply to each version.
        List<IBaseResource> page = new ArrayList<>();
        for (StoredResource row : store.loadHistory(hids)) {
            IBaseResource decoded = codec.decode(row);
            if (row.deleted()) {
                page.add(decoded); // a deletion marker carries no data
            } else {
                session.apply((Resource) decoded).ifPresent(page::add);
            }
        }
        return page;
    }
}
