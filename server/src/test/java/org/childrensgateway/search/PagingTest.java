package org.childrensgateway.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.childrensgateway.search.SearchFixtures.CLIENT_SYSTEM;
import static org.childrensgateway.search.SearchFixtures.patient;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.childrensgateway.fhir.FhirFixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code _count} paging through stored search sessions, and what happens to unknown or expired ones. */
class PagingTest extends SearchTestBase {

    @Autowired
    private JdbcClient jdbc;

    /** Patients with one unique family name, in creation order. */
    private List<String> family(String family, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(create("Patient", patient(family, "Child" + i, "2023-01-0" + (1 + i % 9), i % 2 == 0 ? "female" : "male",
                    "NP4 6AB", CLIENT_SYSTEM + "|" + FhirFixtures.uniqueId("PG"))));
        }
        return ids;
    }

    private static String uniqueFamily() {
        return "Paging" + FhirFixtures.uniqueId("F").replace("-", "");
    }

    /** A GET from a brand new client: no cookies, no state shared with the request that produced the link. */
    private HttpResponse<String> freshGet(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/fhir+json")
                    .header("Authorization", "Bearer " + token()).GET().build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Follows {@code next} links from the first page to the last; returns the match ids seen, page by page. */
    private List<List<String>> allPages(Bundle first, int pageSize) {
        List<List<String>> pages = new ArrayList<>();
        Bundle page = first;
        while (true) {
            List<String> ids = matchIds(page);
            assertThat(ids.size()).isLessThanOrEqualTo(pageSize);
            pages.add(ids);
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return pages;
            }
            assertThat(pages.size()).as("too many pages").isLessThan(50);
            HttpResponse<String> next = freshGet(page.getLink(Bundle.LINK_NEXT).getUrl());
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            page = parse(next.body(), Bundle.class);
        }
    }

    private static List<String> flatten(List<List<String>> pages) {
        return pages.stream().flatMap(List::stream).toList();
    }

    @Test
    void followingNextLinksSeesEveryResultOnceInAStableOrder() {
        String family = uniqueFamily();
        List<String> created = family(family, 7);
        family(family + "Near", 2); // "family" is a prefix search; :exact keeps these out

        List<String> unpaged = matches("Patient", "family:exact", family, "_count", "100");
        assertThat(unpaged).containsExactlyInAnyOrderElementsOf(created);

        Bundle first = bundle(get("Patient", "family:exact", family, "_count", "3"));
        assertThat(first.getTotal()).isEqualTo(7);
        List<List<String>> pages = allPages(first, 3);
        assertThat(pages).extracting(List::size).containsExactly(3, 3, 1);
        List<String> seen = flatten(pages);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyElementsOf(unpaged);

        // The same search again pages in the same order.
        assertThat(flatten(allPages(bundle(get("Patient", "family:exact", family, "_count", "3")), 3)))
                .containsExactlyElementsOf(seen);
    }

    @Test
    void pagingKeepsTheRequestedSort() {
        String family = uniqueFamily();
        List<String> created = family(family, 5);
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);

        Bundle first = bundle(get("Patient", "family:exact", family, "_count", "2", "_sort", "-_lastUpdated"));
        assertThat(flatten(allPages(first, 2))).containsExactlyElementsOf(newestFirst);
        first = bundle(get("Patient", "family:exact", family, "_count", "2", "_sort", "_lastUpdated"));
        assertThat(flatten(allPages(first, 2))).containsExactlyElementsOf(created);
    }

    @Test
    void everyPageCarriesItsIncludes() {
        String family = uniqueFamily();
        String child = family(family, 1).get(0);
        List<String> observations = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            observations.add(create("Observation", SearchFixtures.observation("Patient/" + child, "27113001", "vital-signs", "2023-05-1" + i)));
        }
        Bundle page = bundle(get("Observation", "patient", child, "_count", "2", "_include", "Observation:subject"));
        List<String> seen = new ArrayList<>();
        while (true) {
            seen.addAll(matchIds(page));
            assertThat(includeRefs(page)).containsExactly("Patient/" + child);
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            HttpResponse<String> next = freshGet(page.getLink(Bundle.LINK_NEXT).getUrl());
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            page = parse(next.body(), Bundle.class);
        }
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(observations);
    }

    @Test
    void aCopiedPagingLinkWorksFromAFreshRequest() {
        String family = uniqueFamily();
        List<String> created = family(family, 3);
        Bundle first = bundle(get("Patient", "family:exact", family, "_count", "2"));
        String next = first.getLink(Bundle.LINK_NEXT).getUrl();

        HttpResponse<String> response = freshGet(next);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> second = matchIds(parse(response.body(), Bundle.class));
        assertThat(second).hasSize(1);
        List<String> all = new ArrayList<>(matchIds(first));
        all.addAll(second);
        assertThat(all).containsExactlyInAnyOrderElementsOf(created);

        // And again: a page link can be read more than once.
        assertThat(matchIds(parse(freshGet(next).body(), Bundle.class))).isEqualTo(second);
    }

    @Test
    void unknownSearchIdIsGone() {
        Response unknown = fhir().queryParam("_getpages", UUID.randomUUID().toString()).queryParam("_getpagesoffset", "2")
                .queryParam("_count", "2").get("");
        outcome(unknown, 410);
        Response malformed = fhir().queryParam("_getpages", "not-a-search").get("");
        outcome(malformed, 410);
    }

    @Test
    void expiredSearchIsGone() {
        String family = uniqueFamily();
        family(family, 3);
        Bundle first = bundle(get("Patient", "family:exact", family, "_count", "2"));
        String next = first.getLink(Bundle.LINK_NEXT).getUrl();
        String searchId = next.replaceAll(".*_getpages=([0-9a-f-]{36}).*", "$1");

        jdbc.sql("update search_session set created = created - interval '1 day' where id = ?")
                .param(UUID.fromString(searchId)).update();

        Response response = RestAssured.given().urlEncodingEnabled(false).accept("application/fhir+json").get(next);
        assertThat(outcome(response, 410)).contains("expired");
    }
}
