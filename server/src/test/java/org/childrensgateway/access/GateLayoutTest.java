package org.childrensgateway.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The gate by construction: nothing outside the access package can read the store. Only
 * {@code store} (the implementation) and {@code access} (the gate) name {@code ResourceStore}; the
 * named system bypass is held only by the gateway's own tasks listed here. A new provider that tried
 * to read around the gate fails this test, not a review.
 */
class GateLayoutTest {

    private static final Path MAIN = Path.of("src/main/java/org/childrensgateway");

    /** The gateway's own tasks that may read without a caller: linkage, derived-record composition, the audit operations' existence check. */
    private static final Set<String> SYSTEM_TASKS = Set.of(
            "identity/IdentityService.java", "identity/CarerLinker.java",
            // linkage's reads of the source records it matches and merges (once per run, for the two above)
            "identity/SourceRecords.java",
            "identity/DerivedRecordComposition.java", "audit/AuditOperationsProvider.java",
            // an unlink's disclosure report: who recorded the two children's records and which consents name whom; returns references only
            "identity/LinkDisclosureReport.java",
            // tells a move-in from a birth by the child record's earlier addresses, and reads its record states; returns neither
            "export/CentreNotifications.java");

    @Test
    void onlyTheGateAndTheStoreNameTheStoresReads() throws IOException {
        assertThat(offenders("\\bResourceStore\\b", Set.of())).as("classes naming ResourceStore outside store/ and access/").isEmpty();
    }

    @Test
    void onlyTheGatewaysOwnTasksHoldTheSystemBypass() throws IOException {
        assertThat(offenders("\\bSystemRepository\\b", SYSTEM_TASKS)).as("classes holding SystemRepository").isEmpty();
    }

    @Test
    void noOneDecodesStoredRowsForACallerOutsideTheGate() throws IOException {
        // loadCurrent / loadHistory / loadIncludes are the store's ways to fetch rows by key; outside the
        // gate they would be a read that no decision saw.
        assertThat(offenders("[sS]tore\\.(loadCurrent|loadHistory|loadIncludes|loadRevIncludes|loadRevIncludesByTarget|readVersion|historyKeys)\\(", Set.of()))
                .as("classes fetching stored rows outside the gate").isEmpty();
    }

    private static List<String> offenders(String regex, Set<String> allowed) throws IOException {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> {
                        String rel = MAIN.relativize(p).toString().replace('\\', '/');
                        return !rel.startsWith("store/") && !rel.startsWith("access/") && !allowed.contains(rel);
                    })
                    .filter(p -> {
                        try {
                            return pattern.matcher(Files.readString(p)).find();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(p -> MAIN.relativize(p).toString()).sorted().toList();
        }
    }
}
