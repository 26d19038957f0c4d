package org.childrensgateway.bench;

import java.util.Map;

/** The markdown section appended to docs/benchmarks.md for one run: machine facts and results vs targets. */
final class Report {

    private Report() {
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> r, String... path) {
        Object v = r;
        for (String p : path) {
            if (!(v instanceof Map)) {
                return "n/a";
            }
            v = ((Map<String, Object>) v).get(p);
        }
        return v == null ? "n/a" : v;
    }

    /** A phase's gateway CPU per unit by thread group: requests / JIT compiler / GC / other. */
    private static String byThreads(Map<String, Object> r, String phase, String perUnit) {
        StringBuilder b = new StringBuilder();
        for (String group : new String[] {"requests", "jit", "gc", "other"}) {
            b.append(b.isEmpty() ? "" : " / ").append(at(r, phase, perUnit, "gatewayJvmByThreads", group));
        }
        return b.toString();
    }

    private static String num(Object v) {
        return v instanceof Number n ? String.format("%,.1f", n.doubleValue()) : String.valueOf(v);
    }

    static String markdown(Map<String, Object> r) {
        StringBuilder b = new StringBuilder();
        b.append("\n### Run `").append(r.get("label")).append("`, ").append(r.get("when")).append("\n\n");
        b.append("Machine: ").append(at(r, "machine", "nproc")).append(" CPUs (").append(at(r, "machine", "cpu")).append("), ")
                .append(at(r, "machine", "memTotalGiB")).append(" GiB; ").append(at(r, "machine", "jdk")).append("; PostgreSQL ")
                .append(r.getOrDefault("postgresql", "n/a")).append(" (embedded, same host); load average at start ")
                .append(at(r, "machine", "loadAverageAtStart")).append(". Gateway heap ").append(r.get("gatewayHeap"))
                .append(", children ").append(r.get("children")).append(" (stored: ").append(at(r, "transactionIngest", "childrenStored"))
                .append(").\n\n");
        b.append("| measure | result | target | reference (HAPI JPA) |\n|---|---|---|---|\n");
        b.append("| transaction ingest, warm (resources/s) | ").append(num(at(r, "transactionIngest", "warmResourcesPerSecond")))
                .append(" | ≥ 4,000 | 1,250 |\n");
        b.append("| transaction ingest, cold: first 10% of bundles (resources/s) | ")
                .append(num(at(r, "transactionIngest", "coldResourcesPerSecond"))).append(" | | 500–900 |\n");
        b.append("| bundle latency warm p50 / p95 / p99 (ms) | ").append(num(at(r, "transactionIngest", "bundleLatencyWarmMs", "p50")))
                .append(" / ").append(num(at(r, "transactionIngest", "bundleLatencyWarmMs", "p95"))).append(" / ")
                .append(num(at(r, "transactionIngest", "bundleLatencyWarmMs", "p99"))).append(" | | |\n");
        b.append("| raw PostgreSQL, same rows: batched INSERT / COPY (rows/s) | ")
                .append(num(at(r, "rawPostgres", "batchedInsertRowsPerSecond"))).append(" / ")
                .append(num(at(r, "rawPostgres", "copyRowsPerSecond"))).append(" | | 45,000–80,000 |\n");
        Object warm = at(r, "transactionIngest", "warmResourcesPerSecond");
        Object rawRate = at(r, "rawPostgres", "batchedInsertRowsPerSecond");
        if (warm instanceof Number w && rawRate instanceof Number raw && raw.doubleValue() > 0) {
            b.append("| warm ingest as share of raw batched INSERT | ").append(String.format("%.1f%%", 100 * w.doubleValue() / raw.doubleValue()))
                    .append(" | ≥ 5% | ~2% |\n");
        }
        b.append("| native feed ingest, all three formats (source records/s; after a first pass, when there is one) | ")
                .append(num(at(r, "feedIngest", "allRecordsPerSecond"))).append(" | ≥ 2,000 | |\n");
        if (at(r, "feedFirstPass", "allRecordsPerSecond") instanceof Number) {
            b.append("| &nbsp;&nbsp;first pass, over other children (records/s; gateway + PostgreSQL CPU ms/record) | ")
                    .append(num(at(r, "feedFirstPass", "allRecordsPerSecond"))).append("; ")
                    .append(at(r, "feedFirstPass", "cpuMsPerRecord", "gatewayJvm")).append(" + ")
                    .append(at(r, "feedFirstPass", "cpuMsPerRecord", "postgres")).append(" | | |\n");
        }
        share(b, "feed records/s as share of raw batched INSERT rows/s", at(r, "feedIngest", "allRecordsPerSecond"), rawRate);
        for (String f : new String[] {"rio/clients", "systmone/extract", "childrens-centre/registrations"}) {
            b.append("| &nbsp;&nbsp;").append(f).append(" (records/s; linkage ms/record) | ").append(num(at(r, "feedIngest", f, "recordsPerSecond")))
                    .append("; ").append(num(at(r, "feedIngest", f, "linkageMsPerRecord"))).append(" | | |\n");
        }
        b.append("| linkage per record during ingest: first 10% / last 10% (ms) | ")
                .append(num(at(r, "linkageDuringIngest", "firstTenthMsPerRecord"))).append(" / ")
                .append(num(at(r, "linkageDuringIngest", "lastTenthMsPerRecord"))).append(" | flat | |\n");
        b.append("| read mix (requests/s, consent + audit on every request) | ").append(num(at(r, "readMix", "requestsPerSecond")))
                .append(" | ≥ 1,000 | ~450 (no consent) |\n");
        b.append("| raw PostgreSQL, same client threads: one row's JSON by primary key (reads/s) | ")
                .append(num(at(r, "rawPostgres", "pointReadsPerSecond"))).append(" | | |\n");
        share(b, "read mix requests/s as share of raw point reads/s", at(r, "readMix", "requestsPerSecond"),
                at(r, "rawPostgres", "pointReadsPerSecond"));
        String[][] kinds = {{"read", "1.5 / 4.4"}, {"search-identifier", "4.0 / 9.1"}, {"observation-by-subject", "4.5 / 10.6"},
                {"everything", "6.3 / 13.1"}};
        for (String[] k : kinds) {
            b.append("| &nbsp;&nbsp;").append(k[0]).append(" p50 / p95 / p99 (ms) | ").append(num(at(r, "readMix", k[0], "p50")))
                    .append(" / ").append(num(at(r, "readMix", k[0], "p95"))).append(" / ").append(num(at(r, "readMix", k[0], "p99")))
                    .append(" | p99 < 20 | p50 / p99 ").append(k[1]).append(" |\n");
        }
        b.append("| read mix errors (non-200) | ").append(num(at(r, "readMix", "errors"))).append(" | 0 | |\n");
        b.append("| CPU per resource ingested / feed record / read request, gateway JVM + PostgreSQL (ms) | ")
                .append(at(r, "transactionIngest", "cpuMsPerResource", "gatewayJvm")).append(" + ")
                .append(at(r, "transactionIngest", "cpuMsPerResource", "postgres")).append(" / ")
                .append(at(r, "feedIngest", "cpuMsPerRecord", "gatewayJvm")).append(" + ")
                .append(at(r, "feedIngest", "cpuMsPerRecord", "postgres")).append(" / ")
                .append(at(r, "readMix", "cpuMsPerRequest", "gatewayJvm")).append(" + ")
                .append(at(r, "readMix", "cpuMsPerRequest", "postgres")).append(" | | |\n");
        b.append("| read mix warm-up before measuring (s; JIT compiler's share of gateway CPU at its end / while measured) | ")
                .append(num(at(r, "readMix", "warmUp", "seconds"))).append("; ")
                .append(percent(at(r, "readMix", "warmUp", "jitShareOfGatewayCpuInLastSlice"))).append(" / ")
                .append(percent(at(r, "readMix", "jitShareOfGatewayCpu"))).append(" | | |\n");
        b.append("| gateway CPU per read request by threads: requests / JIT compiler / GC / other (ms) | ")
                .append(byThreads(r, "readMix", "cpuMsPerRequest")).append(" | | |\n");
        b.append("| PostgreSQL CPU per read request / feed record: client backends + background processes (ms) | ")
                .append(at(r, "readMix", "cpuMsPerRequest", "postgresByProcess", "backends")).append(" + ")
                .append(at(r, "readMix", "cpuMsPerRequest", "postgresByProcess", "background")).append(" / ")
                .append(at(r, "feedIngest", "cpuMsPerRecord", "postgresByProcess", "backends")).append(" + ")
                .append(at(r, "feedIngest", "cpuMsPerRecord", "postgresByProcess", "background")).append(" | | |\n");
        b.append("| gateway CPU per feed record by threads: requests / JIT compiler / GC / other (ms) | ")
                .append(byThreads(r, "feedIngest", "cpuMsPerRecord")).append(" | | |\n");
        b.append("| broad search first page, `_total=accurate` / `none` / `_summary=count` p50 (ms) | ")
                .append(num(at(r, "broadSearch", "accurate", "p50Ms"))).append(" / ").append(num(at(r, "broadSearch", "none", "p50Ms")))
                .append(" / ").append(num(at(r, "broadSearch", "count", "p50Ms"))).append(" | | |\n");
        b.append("| start-up to ready (ms) | ").append(num(r.getOrDefault("readyMs", "n/a"))).append(" | < 10,000 | 39,000 |\n");
        b.append("| start-up to ready from the extracted jar, no archive (ms) | ").append(num(r.getOrDefault("readyExtractedMs", "n/a"))).append(" | < 10,000 | |\n");
        b.append("| start-up to ready from the extracted jar with a class-data-sharing archive, as the Dockerfile image runs it (ms) | ").append(num(r.getOrDefault("readyWithCdsMs", "n/a"))).append(" | < 10,000 | |\n");
        b.append("| gateway peak resident memory (MB) | ").append(num(r.getOrDefault("peakRssMb", "n/a")))
                .append(" | ≤ 1,024 | 2,000–2,400 |\n");
        b.append("| &nbsp;&nbsp;of which anonymous (peak) / mapped files (at end) (MB) | ").append(num(r.getOrDefault("peakRssAnonMb", "n/a")))
                .append(" / ").append(num(r.getOrDefault("rssFileAtEndMb", "n/a"))).append(" | | |\n");
        if (r.get("nativeMemoryCommittedMb") instanceof Map<?, ?> nmt) {
            b.append("| &nbsp;&nbsp;JVM committed (NMT): total / heap / metaspace / code / GC (MB) | ").append(nmt.get("Total")).append(" / ")
                    .append(nmt.get("Java Heap")).append(" / ").append(nmt.get("Metaspace")).append(" / ").append(nmt.get("Code"))
                    .append(" / ").append(nmt.get("GC")).append(" | | |\n");
        }
        return b.toString();
    }

    private static String percent(Object share) {
        return share instanceof Number n ? String.format(java.util.Locale.ROOT, "%.0f%%", 100 * n.doubleValue()) : "n/a";
    }

    /** A figure as a share of the raw PostgreSQL rate measured in the same run (issue 16: every figure as a ratio to it). */
    private static void share(StringBuilder b, String what, Object figure, Object raw) {
        if (figure instanceof Number f && raw instanceof Number r && r.doubleValue() > 0) {
            b.append("| ").append(what).append(" | ").append(String.format(java.util.Locale.ROOT, "%.2f%%", 100 * f.doubleValue() / r.doubleValue()))
                    .append(" | | |\n");
        }
    }
}
