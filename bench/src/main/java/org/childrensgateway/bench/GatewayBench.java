package org.childrensgateway.bench;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * End-to-end benchmark of the gateway (issue #7). Starts the gateway as its own JVM on an embedded
 * PostgreSQL, then, with 2 client threads over loopback:
 * <ol>
 * <li>start-up time to readiness;</li>
 * <li>transaction-bundle ingest of the synthetic population (50 children = 400 resources per bundle):
 *     resources/s cold (first 10% of bundles) and warm (the rest), bundle latency p50/p95/p99;</li>
 * <li>native feed ingest of the same children in the three formats (RiO CSV, SystmOne XML,
 *     children's-centre CSV) through {@code /ingest}: source records/s, mapped, validated, linked, stored;</li>
 * <li>linkage cost per record (the gateway's {@code gateway_linkage_match_seconds} timer) early and late in
 *     the ingest, and during the feeds (store full);</li>
 * <li>a timed read mix through the full security path (token, consent decision, audit): read,
 *     search by identifier, Observation by subject, $everything; requests/s and p50/p95/p99 per kind;</li>
 * <li>the raw PostgreSQL insert rate of the same JSON rows (batched INSERT and COPY) on the same server;</li>
 * <li>peak resident memory (VmHWM) of the gateway.</li>
 * </ol>
 * Writes {@code target/bench/summary.json} and appends a section to docs/benchmarks.md. Never logs
 * personal data (the population is synthetic anyway; only counts and timings are printed).
 */
public final class GatewayBench {

    private static final Pattern LOCATION = Pattern.compile("\"location\"\\s*:\\s*\"Patient/([^/\"]+)");
    private static final Pattern RECORDS = Pattern.compile("\"records\"\\s*:\\s*(\\d+)");
    private static final Pattern QUARANTINED = Pattern.compile("\"quarantined\"\\s*:\\s*(\\d+)");
    private static final int BUNDLE_CHILDREN = 50;
    private static final int FEED_CHUNK = 200;
    private static final String BATCHES_REWRITTEN = "gateway_ingest_batches_rewritten_total";
    /** Client threads for ingest and feeds: 2, one per core of the reference machine. */
    private static final int THREADS = 2;
    /** Client threads for the read mix: 2 by default; more to measure behaviour under concurrency (e.g. the audit group commit). */
    private static final int READ_THREADS = Integer.getInteger("bench.readThreads", 2);

    private final int children = Integer.getInteger("bench.children", 10_000);
    private final int feedChildren = Integer.getInteger("bench.feedChildren", 1_000);
    /** A first, cold pass of the feeds over other children before the measured one (see {@link #feedIngest}). */
    private final boolean feedFirstPass = Boolean.parseBoolean(System.getProperty("bench.feedFirstPass", "true"));
    private final int readSeconds = Integer.getInteger("bench.readSeconds", 60);
    /** The read mix's warm-up ends when the JIT compiler's share of the gateway's CPU falls to this, */
    private final double readWarmupJitShare = Double.parseDouble(System.getProperty("bench.readWarmupJitShare", "0.10"));
    /** or after this many seconds, whichever comes first. */
    private final int readWarmupMaxSeconds = Integer.getInteger("bench.readWarmupMaxSeconds", 120);
    private final int maxIngestSeconds = Integer.getInteger("bench.maxIngestSeconds", 900);
    private final String heap = System.getProperty("bench.heap", "512m");
    private final boolean jfr = Boolean.parseBoolean(System.getProperty("bench.jfr", "true"));
    private final boolean cds = Boolean.parseBoolean(System.getProperty("bench.cds", "true"));
    private final String label = System.getProperty("bench.label", "run");
    private final Path out = Path.of(System.getProperty("bench.out", "target/bench"));
    private final Map<String, Object> result = new LinkedHashMap<>();
    private final Population population = new Population(42, Math.max(children, feedChildren));
    private final List<String> patientIds = new ArrayList<>();
    private Gateway gateway;
    private DatabaseWork database;

    public static void main(String[] args) throws Exception {
        new GatewayBench().run();
    }

    /** The JVM's own account of its committed memory by area, next to the resident figure. */
    private void nativeMemory() {
        try {
            String summary = gateway.jcmd("VM.native_memory", "summary", "scale=MB");
            Files.writeString(out.resolve(label + "-nmt.txt"), summary);
            Map<String, Object> areas = new LinkedHashMap<>();
            Matcher m = Pattern.compile("(?m)^-?\\s*(Total|Java Heap|Class|Thread|Code|GC|Compiler|Internal|Other|Symbol|Native Memory Tracking|Arena Chunk|Metaspace)[^\\n]*?committed=(\\d+)MB").matcher(summary);
            while (m.find()) {
                areas.putIfAbsent(m.group(1), Long.parseLong(m.group(2)));
            }
            result.put("nativeMemoryCommittedMb", areas);
            log("native memory committed (MB): " + areas);
        } catch (Exception e) {
            log("native memory summary not available: " + e.getClass().getSimpleName());
        }
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        Path jar = Path.of(System.getProperty("bench.gatewayJar", "../server/target/server-0.1.0-SNAPSHOT.jar"));
        result.put("label", label);
        result.put("when", LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
        result.put("children", children);
        result.put("gatewayHeap", heap);
        machine();
        if (cds) {
            startWithClassDataSharing(jar);
        }
        log("starting gateway (heap " + heap + ")");
        gateway = new Gateway(jar, out.resolve("gateway"), heap, true, out.resolve("gateway.log"));
        database = new DatabaseWork(gateway.pgPort);
        try {
            long ready = gateway.awaitReady(Duration.ofMinutes(3));
            result.put("readyMs", ready);
            result.put("rssAtReadyMb", gateway.status("VmRSS") / 1024);
            log("ready in " + ready + " ms");
            transactionIngest();
            feedIngest();
            readMix();
            if (!patientIds.isEmpty()) {
                result.put("broadSearch", new BroadSearches(gateway, database).run());
            }
            rawPostgres();
            result.put("peakRssMb", gateway.peakRssKb() / 1024);
            result.put("rssAtEndMb", gateway.status("VmRSS") / 1024);
            result.put("peakRssAnonMb", gateway.peakRssAnonKb() / 1024);
            result.put("rssFileAtEndMb", gateway.status("RssFile") / 1024);
            nativeMemory();
        } finally {
            gateway.close();
        }
        write();
    }

    /**
     * Start-up as the container image runs it (the extracted jar) and as docs/operations.md recommends
     * for production (the extracted jar with a class-data-sharing archive made by a training start).
     * Each measured on its own empty database, before the main run, which starts from the plain jar.
     */
    private void startWithClassDataSharing(Path jar) throws Exception {
        log("class-data sharing: extracting the jar and training an archive");
        ClassDataSharing sharing = ClassDataSharing.train(jar, out.resolve("cds"), heap);
        // The same extracted jar without the archive, as the container image runs it: the JVM's own
        // class loader reads plain jars instead of Spring Boot's loader reading jars nested in a jar.
        try (Gateway extracted = new Gateway(sharing.jar(), out.resolve("cds").resolve("gateway-extracted"), heap, true,
                out.resolve("cds").resolve("gateway-extracted.log"))) {
            long ready = extracted.awaitReady(Duration.ofMinutes(3));
            result.put("readyExtractedMs", ready);
            log("ready from the extracted jar in " + ready + " ms");
        }
        try (Gateway withArchive = new Gateway(sharing.jar(), out.resolve("cds").resolve("gateway"), heap, true,
                out.resolve("cds").resolve("gateway.log"), sharing.jvmOptions())) {
            long ready = withArchive.awaitReady(Duration.ofMinutes(3));
            result.put("readyWithCdsMs", ready);
            result.put("rssAtReadyWithCdsMb", withArchive.status("VmRSS") / 1024);
            result.put("cdsArchiveMb", sharing.archiveBytes() / (1024 * 1024));
            log("ready with the class-data-sharing archive in " + ready + " ms");
        }
    }

    // ---- transaction ingest ----

    private void transactionIngest() throws Exception {
        int bundles = (children + BUNDLE_CHILDREN - 1) / BUNDLE_CHILDREN;
        log("sending " + bundles + " transaction bundles");
        // Each client thread builds its next bundle just before sending it (a few ms against the
        // bundle's ~0.5 s on the server): held all at once, 100,000 children's bundles are ~700 MB.
        java.util.function.IntFunction<byte[]> body = b -> population.transaction(b * BUNDLE_CHILDREN,
                Math.min(children, (b + 1) * BUNDLE_CHILDREN)).getBytes(StandardCharsets.UTF_8);
        String[][] ids = new String[bundles][];
        int coldBundles = Math.max(2, bundles / 10);
        Latencies warm = new Latencies();
        Latencies cold = new Latencies();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicLong coldEnd = new AtomicLong();
        // CPU from the end of the cold bundles on: the warm cost per resource, without the one-off
        // warm-up of the validator and the compiled checks that the first bundles wait for.
        java.util.concurrent.atomic.AtomicReference<double[]> cpuAfterCold = new java.util.concurrent.atomic.AtomicReference<>();
        Map<String, double[]> linkage = new LinkedHashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(maxIngestSeconds).toNanos();
        startJfr("ingest");
        linkage.put("start", linkageTimer());
        gateway.token("rio-hv", "demo-rio-hv"); // fetched before the clock starts, as a client holding a token would
        boolean statements = database.resetStatements();
        long[] db0 = database.snapshot();
        Map<String, Long> rel0 = database.byRelation();
        double[] cpu0 = gateway.cpuSeconds();
        long start = System.nanoTime();
        runThreads(() -> {
            int b;
            while ((b = next.getAndIncrement()) < bundles && System.nanoTime() < deadline) {
                byte[] bundle = body.apply(b);
                long t0 = System.nanoTime();
                HttpResponse<String> r = post("/fhir", "application/fhir+json", bundle, "rio-hv", "demo-rio-hv");
                long t = System.nanoTime() - t0;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("transaction " + b + " failed: HTTP " + r.statusCode() + " " + head(r.body()));
                }
                (b < coldBundles ? cold : warm).add(t);
                List<String> found = new ArrayList<>();
                Matcher m = LOCATION.matcher(r.body());
                while (m.find()) {
                    found.add(m.group(1));
                }
                ids[b] = found.toArray(String[]::new);
                int d = done.incrementAndGet();
                if (d == coldBundles) {
                    coldEnd.set(System.nanoTime());
                    cpuAfterCold.set(gateway.cpuSeconds());
                    linkage.put("afterCold", linkageTimer());
                }
                if (d == bundles - Math.max(1, bundles / 10)) {
                    linkage.put("last10pct", linkageTimer());
                }
                if (d % 20 == 0) {
                    log("  " + d + "/" + bundles + " bundles");
                }
            }
            return null;
        });
        long end = System.nanoTime();
        double[] cpu1 = gateway.cpuSeconds();
        long[] db1 = database.snapshot();
        Map<String, Long> rel1 = database.byRelation();
        linkage.put("end", linkageTimer());
        stopJfr("ingest");
        int stored = done.get();
        for (int b = 0; b < bundles; b++) {
            if (ids[b] != null) {
                patientIds.addAll(List.of(ids[b]));
            }
        }
        int storedChildren = patientIds.size();
        long resources = (long) storedChildren * Population.RESOURCES_PER_CHILD;
        if (statements) {
            Files.writeString(out.resolve(label + "-ingest-statements.txt"), database.statements(resources));
        }
        double seconds = (end - start) / 1e9;
        double coldSeconds = (coldEnd.get() - start) / 1e9;
        long coldResources = (long) Math.min(coldBundles, stored) * BUNDLE_CHILDREN * Population.RESOURCES_PER_CHILD;
        Map<String, Object> tx = new LinkedHashMap<>();
        tx.put("bundles", stored);
        tx.put("childrenStored", storedChildren);
        tx.put("resources", resources);
        tx.put("seconds", round(seconds));
        tx.put("resourcesPerSecond", round(resources / seconds));
        tx.put("coldResourcesPerSecond", round(coldResources / coldSeconds));
        tx.put("warmResourcesPerSecond", round((resources - coldResources) / (seconds - coldSeconds)));
        tx.put("bundleLatencyWarmMs", percentiles(warm));
        tx.put("bundleLatencyColdMs", percentiles(cold));
        tx.put("timedOut", stored < bundles);
        tx.put("cpuMsPerResource", cpu(cpu0, cpu1, resources));
        if (cpuAfterCold.get() != null) {
            tx.put("warmCpuMsPerResource", cpu(cpuAfterCold.get(), cpu1, resources - coldResources));
        }
        tx.put("databasePerResource", DatabaseWork.perUnit(db0, db1, resources));
        tx.put("databasePerResourceByRelation", DatabaseWork.perUnitByRelation(rel0, rel1, resources));
        result.put("transactionIngest", tx);
        result.put("linkageDuringIngest", linkageWindows(linkage));
        log("transaction ingest: " + tx);
    }

    // ---- native feeds ----

    /**
     * Native feeds, twice when the population allows: a first pass over children the measured pass
     * does not use (cold: about half the gateway's CPU then is the JIT compiler, since the phase
     * lasts seconds), then the measured pass over the first {@code feedChildren} (warm, as a nightly
     * extract of tens of thousands of records runs). Both are reported.
     */
    private void feedIngest() throws Exception {
        int n = Math.min(feedChildren, patientIds.size());
        if (n == 0) {
            return;
        }
        // Tokens fetched before the clock starts (each costs a BCrypt check of the client secret).
        gateway.token("rio-hv", "demo-rio-hv");
        gateway.token("systmone-gp", "demo-systmone-gp");
        gateway.token("estart-centre", "demo-estart-centre");
        if (feedFirstPass && 2 * n <= patientIds.size()) {
            Map<String, Object> first = feedPass(n, 2 * n, false);
            result.put("feedFirstPass", first);
            log("feeds, first pass (children " + n + " to " + (2 * n) + "): " + first.get("allRecordsPerSecond") + " records/s");
        }
        result.put("feedIngest", feedPass(0, n, true));
    }

    /** The three feeds for children {@code first} to {@code end} (exclusive); the measured pass is also profiled. */
    private Map<String, Object> feedPass(int first, int end, boolean measured) throws Exception {
        Map<String, Object> feeds = new LinkedHashMap<>();
        double[] before = linkageTimer();
        Map<String, Long> rel0 = database.byRelation();
        boolean statements = database.resetStatements();
        long[] db0 = database.snapshot();
        double[] cpu0 = gateway.cpuSeconds();
        long records = 0;
        double seconds = 0;
        if (measured) {
            startJfr("feeds");
        }
        for (String[] feed : List.of(new String[] {"rio", "clients", "text/csv", "rio-hv", "demo-rio-hv"},
                new String[] {"systmone", "extract", "application/xml", "systmone-gp", "demo-systmone-gp"},
                new String[] {"childrens-centre", "registrations", "text/csv", "estart-centre", "demo-estart-centre"})) {
            int chunks = (end - first + FEED_CHUNK - 1) / FEED_CHUNK;
            List<byte[]> bodies = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                int from = first + c * FEED_CHUNK;
                int to = Math.min(end, from + FEED_CHUNK);
                String body = switch (feed[0]) {
                    case "rio" -> population.rioClients(from, to);
                    case "systmone" -> population.systmOne(from, to);
                    default -> population.centreRegistrations(from, to);
                };
                bodies.add(body.getBytes(StandardCharsets.UTF_8));
            }
            AtomicInteger next = new AtomicInteger();
            AtomicLong count = new AtomicLong();
            AtomicLong quarantined = new AtomicLong();
            Latencies latency = new Latencies();
            double[] linkBefore = linkageTimer();
            double rewrittenBefore = metrics(BATCHES_REWRITTEN)[0];
            long start = System.nanoTime();
            runThreads(() -> {
                int c;
                while ((c = next.getAndIncrement()) < chunks) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = post("/ingest/" + feed[0] + "/" + feed[1], feed[2], bodies.get(c), feed[3], feed[4]);
                    latency.add(System.nanoTime() - t0);
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("ingest " + feed[0] + " failed: HTTP " + r.statusCode() + " " + head(r.body()));
                    }
                    count.addAndGet(group(RECORDS, r.body()));
                    quarantined.addAndGet(group(QUARANTINED, r.body()));
                }
                return null;
            });
            double s = (System.nanoTime() - start) / 1e9;
            double[] linkAfter = linkageTimer();
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("records", count.get());
            f.put("quarantined", quarantined.get());
            f.put("seconds", round(s));
            f.put("recordsPerSecond", round(count.get() / s));
            f.put("chunkLatencyMs", percentiles(latency));
            f.put("linkageMsPerRecord", perRecordMs(linkBefore, linkAfter));
            // A batch with a failing record is written again record by record: far more commits.
            f.put("batchesRewritten", metrics(BATCHES_REWRITTEN)[0] - rewrittenBefore);
            feeds.put(feed[0] + "/" + feed[1], f);
            records += count.get();
            seconds += s;
            log("feed " + feed[0] + "/" + feed[1] + ": " + f);
        }
        double[] cpu1 = gateway.cpuSeconds();
        long[] db1 = database.snapshot();
        if (measured) {
            stopJfr("feeds");
        }
        feeds.put("allRecordsPerSecond", round(records / seconds));
        feeds.put("cpuMsPerRecord", cpu(cpu0, cpu1, records));
        feeds.put("databasePerRecord", DatabaseWork.perUnit(db0, db1, records));
        feeds.put("databasePerRecordByRelation", DatabaseWork.perUnitByRelation(rel0, database.byRelation(), records));
        if (statements && measured) {
            Files.writeString(out.resolve(label + "-feeds-statements.txt"), database.statements(records));
        }
        feeds.put("linkageMsPerRecord", perRecordMs(before, linkageTimer()));
        return feeds;
    }

    // ---- read mix ----

    private void readMix() throws Exception {
        if (patientIds.isEmpty()) {
            return;
        }
        String[] kinds = {"read", "search-identifier", "observation-by-subject", "everything"};
        Map<String, Latencies> byKind = new LinkedHashMap<>();
        for (String k : kinds) {
            byKind.put(k, new Latencies());
        }
        Map<String, Object> warmup = warmUpReads(kinds);
        // The same work counts per request as the write phases (and every statement, in a measurement run).
        Map<String, Long> rel0 = database.byRelation();
        boolean statements = database.resetStatements();
        long[] db0 = database.snapshot();
        startJfr("reads");
        double[] cpu0 = gateway.cpuSeconds();
        long start = System.nanoTime();
        mix(kinds, byKind, readSeconds, 11);
        double s = (System.nanoTime() - start) / 1e9;
        double[] cpu1 = gateway.cpuSeconds();
        stopJfr("reads");
        long[] db1 = database.snapshot();
        Map<String, Long> rel1 = database.byRelation();
        Map<String, Object> mix = new LinkedHashMap<>();
        int total = 0;
        int errors = 0;
        for (var e : byKind.entrySet()) {
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("requests", e.getValue().count());
            k.put("errors", e.getValue().errors);
            k.putAll(percentiles(e.getValue()));
            mix.put(e.getKey(), k);
            total += e.getValue().count();
            errors += e.getValue().errors;
        }
        mix.put("requestsPerSecond", round(total / s));
        mix.put("errors", errors);
        mix.put("seconds", round(s));
        mix.put("storeChildren", patientIds.size());
        mix.put("cpuMsPerRequest", cpu(cpu0, cpu1, total));
        mix.put("jitShareOfGatewayCpu", share(cpu1[3] - cpu0[3], cpu1[0] - cpu0[0]));
        mix.put("warmUp", warmup);
        mix.put("databasePerRequest", DatabaseWork.perUnit(db0, db1, total));
        mix.put("databasePerRequestByRelation", DatabaseWork.perUnitByRelation(rel0, rel1, total));
        if (statements) {
            Files.writeString(out.resolve(label + "-reads-statements.txt"), database.statements(total));
        }
        result.put("readMix", mix);
        log("read mix: " + mix);
    }

    /**
     * Runs the mix unmeasured until the gateway's JIT compiler has settled: in 5 s slices, at least
     * two, until the compiler's share of the gateway's CPU in a slice is at most
     * {@link #readWarmupJitShare}, or {@link #readWarmupMaxSeconds} have passed. The read paths are
     * not compiled by the ingest before them, and on two cores the compiler otherwise takes as much
     * CPU as the requests for the first half minute (docs/benchmarks.md, round 11), so a fixed short
     * warm-up measured the compiler more than the gateway. Returns how long it took and where it ended.
     */
    private Map<String, Object> warmUpReads(String[] kinds) throws Exception {
        long start = System.nanoTime();
        double jit = 1;
        int slices = 0;
        while (slices < 2 || jit > readWarmupJitShare && System.nanoTime() - start < readWarmupMaxSeconds * 1_000_000_000L) {
            double[] a = gateway.cpuSeconds();
            mix(kinds, new LinkedHashMap<>(Map.of("read", new Latencies(), "search-identifier", new Latencies(),
                    "observation-by-subject", new Latencies(), "everything", new Latencies())), 5, 7 + slices);
            double[] b = gateway.cpuSeconds();
            jit = share(b[3] - a[3], b[0] - a[0]);
            slices++;
            log("read mix warm-up: " + (5 * slices) + " s, JIT compiler " + Math.round(100 * jit) + "% of the gateway's CPU in the last 5 s");
        }
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("seconds", round((System.nanoTime() - start) / 1e9));
        w.put("jitShareOfGatewayCpuInLastSlice", jit);
        w.put("settled", jit <= readWarmupJitShare);
        return w;
    }

    private static double share(double part, double whole) {
        return whole <= 0 ? 0 : Math.round(1000 * part / whole) / 1000.0;
    }

    private void mix(String[] kinds, Map<String, Latencies> byKind, int seconds, long seed) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicInteger thread = new AtomicInteger();
        runThreads(READ_THREADS, () -> {
            Random random = new Random(seed * 31 + thread.incrementAndGet());
            int i = 0;
            while (System.nanoTime() < deadline) {
                String kind = kinds[i++ % kinds.length];
                int child = random.nextInt(patientIds.size());
                String id = patientIds.get(child);
                String path = switch (kind) {
                    case "read" -> "/fhir/Patient/" + id;
                    case "search-identifier" -> "/fhir/Patient?identifier="
                            + URLEncoder.encode(Population.RIO_CLIENT + "|" + population.child(child).clientId(), StandardCharsets.UTF_8);
                    case "observation-by-subject" -> "/fhir/Observation?subject=Patient/" + id;
                    default -> "/fhir/Patient/" + id + "/$everything";
                };
                long t0 = System.nanoTime();
                HttpResponse<String> r = get(path, "systmone-gp", "demo-systmone-gp");
                long t = System.nanoTime() - t0;
                Latencies l = byKind.get(kind);
                if (r.statusCode() == 200) {
                    l.add(t);
                } else {
                    l.error();
                }
            }
            return null;
        });
    }

    // ---- raw PostgreSQL ceiling ----

    /**
     * The ceiling for a read: the same client threads as the read mix, each on its own connection,
     * fetching one stored row's JSON by primary key (autocommit), for a few seconds after a warm-up.
     */
    private double rawPointReads(String url, int rows) throws Exception {
        int seconds = Integer.getInteger("bench.rawReadSeconds", 10);
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(READ_THREADS);
        List<Future<?>> running = new ArrayList<>();
        long warmUntil = System.nanoTime() + 2_000_000_000L;
        long until = warmUntil + seconds * 1_000_000_000L;
        for (int t = 0; t < READ_THREADS; t++) {
            int seed = t;
            running.add(pool.submit(() -> {
                Random random = new Random(seed);
                try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                     PreparedStatement ps = c.prepareStatement("select content from bench_raw where pid = ?")) {
                    long now;
                    while ((now = System.nanoTime()) < until) {
                        ps.setLong(1, 1 + random.nextInt(rows));
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            rs.getString(1);
                        }
                        if (now >= warmUntil) {
                            done.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        return done.get() / (double) seconds;
    }

    private void rawPostgres() throws Exception {
        int n = Math.min(children, 20_000);
        List<String[]> rows = new ArrayList<>(n * Population.RESOURCES_PER_CHILD);
        String[] types = {"Patient", "RelatedPerson", "Consent", "Observation", "Observation", "Observation", "Observation", "CarePlan"};
        for (int i = 0; i < n; i++) {
            List<String> res = population.resources(i);
            for (int k = 0; k < res.size(); k++) {
                rows.add(new String[] {types[k], "r" + i + "-" + k, res.get(k)});
            }
        }
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("rows", rows.size());
        String url = "jdbc:postgresql://127.0.0.1:" + gateway.pgPort + "/postgres?reWriteBatchedInserts=true";
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres")) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show server_version")) {
                rs.next();
                result.put("postgresql", rs.getString(1));
            }
            try (Statement s = c.createStatement()) {
                s.execute("drop table if exists bench_raw");
                s.execute("create table bench_raw (pid bigserial primary key, res_type text not null, res_id text not null, content jsonb)");
            }
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement("insert into bench_raw (res_type, res_id, content) values (?, ?, ?::jsonb)")) {
                int i = 0;
                for (String[] r : rows) {
                    ps.setString(1, r[0]);
                    ps.setString(2, r[1]);
                    ps.setString(3, r[2]);
                    ps.addBatch();
                    if (++i % 1000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
            double insertSeconds = (System.nanoTime() - t0) / 1e9;
            raw.put("batchedInsertRowsPerSecond", round(rows.size() / insertSeconds));
            try (Statement s = c.createStatement()) {
                s.execute("truncate bench_raw restart identity"); // pids 1..rows again, for the point reads
            }
            c.commit();
            StringBuilder copy = new StringBuilder();
            for (String[] r : rows) {
                copy.append(r[0]).append('\t').append(r[1]).append('\t')
                        .append(r[2].replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")).append('\n');
            }
            long t1 = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("copy bench_raw (res_type, res_id, content) from stdin",
                    new java.io.StringReader(copy.toString()));
            c.commit();
            double copySeconds = (System.nanoTime() - t1) / 1e9;
            raw.put("copyRowsPerSecond", round(rows.size() / copySeconds));
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("analyze bench_raw");
            }
            raw.put("pointReadsPerSecond", round(rawPointReads(url, rows.size())));
            try (Statement s = c.createStatement()) {
                s.execute("drop table bench_raw");
            }
        }
        result.put("rawPostgres", raw);
        log("raw PostgreSQL: " + raw);
    }

    // ---- helpers ----

    private HttpResponse<String> post(String path, String contentType, byte[] body, String client, String secret) throws Exception {
        return gateway.http().send(HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + gateway.token(client, secret)).header("Content-Type", contentType)
                .header("Accept", "application/fhir+json, application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String client, String secret) throws Exception {
        return gateway.http().send(HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + gateway.token(client, secret)).header("Accept", "application/fhir+json")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The gateway's linkage timer: {count, sum seconds}. */
    private double[] linkageTimer() {
        double[] m = metrics("gateway_linkage_match_seconds_count", "gateway_linkage_match_seconds_sum");
        return new double[] {m[0], m[1]};
    }

    /** Prometheus samples from the gateway, each summed over its labels; zeros if it cannot be read. */
    private double[] metrics(String... names) {
        double[] sums = new double[names.length];
        try {
            HttpResponse<String> r = gateway.http().send(HttpRequest.newBuilder(gateway.uri("/actuator/prometheus")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                for (int i = 0; i < names.length; i++) {
                    if (line.startsWith(names[i]) && (line.length() == names[i].length() || line.charAt(names[i].length()) == '{'
                            || line.charAt(names[i].length()) == ' ')) {
                        sums[i] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            }
        } catch (Exception e) {
            // the figures are then n/a-like zeros; the run itself goes on
        }
        return sums;
    }

    private static Object perRecordMs(double[] before, double[] after) {
        double n = after[0] - before[0];
        return n <= 0 ? "n/a" : round((after[1] - before[1]) * 1000 / n);
    }

    private Map<String, Object> linkageWindows(Map<String, double[]> marks) {
        Map<String, Object> out = new LinkedHashMap<>();
        double[] s = marks.get("start");
        double[] c = marks.getOrDefault("afterCold", s);
        double[] l = marks.getOrDefault("last10pct", c);
        double[] e = marks.get("end");
        out.put("firstTenthMsPerRecord", perRecordMs(s, c));
        out.put("lastTenthMsPerRecord", perRecordMs(l, e));
        out.put("allMsPerRecord", perRecordMs(s, e));
        out.put("records", e[0] - s[0]);
        return out;
    }

    private void startJfr(String name) throws Exception {
        if (jfr) {
            gateway.jcmd("JFR.start", "name=" + name, "settings=profile");
        }
    }

    private void stopJfr(String name) throws Exception {
        if (!jfr) {
            return;
        }
        Path file = out.resolve(label + "-" + name + ".jfr").toAbsolutePath();
        gateway.jcmd("JFR.stop", "name=" + name, "filename=" + file);
        String summary = JfrSummary.summarise(file, 25);
        Files.writeString(out.resolve(label + "-" + name + "-hot.txt"), summary);
        log("JFR " + name + " -> " + file + "\n" + summary);
    }

    private static void runThreads(java.util.concurrent.Callable<Void> task) throws Exception {
        runThreads(THREADS, task);
    }

    private static void runThreads(int threads, java.util.concurrent.Callable<Void> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(task));
            }
            for (Future<Void> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** CPU milliseconds per unit of work, for the gateway JVM and for PostgreSQL. */
    private static Map<String, Object> cpu(double[] before, double[] after, long units) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gatewayJvm", units == 0 ? 0 : Math.round((after[0] - before[0]) * 100_000 / units) / 100.0);
        m.put("postgres", units == 0 ? 0 : Math.round((after[1] - before[1]) * 100_000 / units) / 100.0);
        Map<String, Object> threads = new LinkedHashMap<>();
        for (int g = 0; g < Gateway.THREAD_GROUPS.size(); g++) {
            threads.put(Gateway.THREAD_GROUPS.get(g), units == 0 ? 0 : Math.round((after[2 + g] - before[2 + g]) * 100_000 / units) / 100.0);
        }
        m.put("gatewayJvmByThreads", threads);
        Map<String, Object> postgres = new LinkedHashMap<>();
        postgres.put("backends", units == 0 ? 0 : Math.round((after[6] - before[6]) * 100_000 / units) / 100.0);
        postgres.put("background", units == 0 ? 0 : Math.round((after[7] - before[7]) * 100_000 / units) / 100.0);
        m.put("postgresByProcess", postgres);
        return m;
    }

    private static Map<String, Object> percentiles(Latencies l) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("p50", round(l.percentileMs(50)));
        p.put("p95", round(l.percentileMs(95)));
        p.put("p99", round(l.percentileMs(99)));
        return p;
    }

    private static long group(Pattern p, String body) {
        Matcher m = p.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String head(String s) {
        return s == null ? "" : s.substring(0, Math.min(400, s.length()));
    }

    private static double round(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? -1 : Math.round(v * 10) / 10.0;
    }

    private void machine() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nproc", Runtime.getRuntime().availableProcessors());
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                m.put("memTotalGiB", round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0));
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                m.put("cpu", line.substring(line.indexOf(':') + 1).trim());
                break;
            }
        }
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("loadAverageAtStart", Files.readString(Path.of("/proc/loadavg")).trim());
        result.put("machine", m);
    }

    // ---- output ----

    private void write() throws Exception {
        String json = Json.write(result);
        Files.writeString(out.resolve(label + "-summary.json"), json);
        Files.writeString(out.resolve("summary.json"), json);
        log("summary: " + out.resolve("summary.json").toAbsolutePath() + "\n" + json);
        String docs = System.getProperty("bench.docs");
        if (docs != null && Boolean.parseBoolean(System.getProperty("bench.append", "true"))) {
            Files.writeString(Path.of(docs), Report.markdown(result), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            log("appended to " + docs);
        }
    }

    static void log(String s) {
        System.out.println("[bench " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)) + "] " + s);
    }
}
