package org.childrensgateway.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A search with thousands of matches, as another organisation than the writer (every match goes
 * through the consent rule): the first page under {@code _total=accurate} (the default) and
 * {@code _total=none}, the page after each, and {@code _summary=count}. One request at a time, after
 * the read mix (which it leaves unchanged), each case repeated; per request: latency, CPU of the
 * gateway and of PostgreSQL, and what PostgreSQL read (scans, tuples), the work count that a shared
 * machine does not move.
 */
final class BroadSearches {

    static final String SEARCH = "/fhir/Observation?category=vital-signs&_count=20";
    private static final Pattern NEXT = Pattern.compile("\"relation\"\\s*:\\s*\"next\"\\s*,\\s*\"url\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");
    private static final Pattern ENTRY = Pattern.compile("\"fullUrl\"");

    private final Gateway gateway;
    private final DatabaseWork database;
    private final int repeats = Integer.getInteger("bench.broadRepeats", 10);

    BroadSearches(Gateway gateway, DatabaseWork database) {
        this.gateway = gateway;
        this.database = database;
    }

    /**
     * Which cases run ({@code -Dbench.broadCases}, comma-separated: accurate, none, count). An exact
     * total decides every match, so at 100,000 children (~410,000 matches) each such request takes
     * about a minute: large runs measure only {@code none}.
     */
    private final List<String> cases = List.of(System.getProperty("bench.broadCases", "accurate,none,count").split(","));

    Map<String, Object> run() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("search", SEARCH);
        out.put("repeats", repeats);
        if (cases.contains("accurate")) {
            out.put("accurate", measure(SEARCH, false));
            out.put("accurateNextPage", measure(SEARCH, true));
        }
        if (cases.contains("none")) {
            out.put("none", measure(SEARCH + "&_total=none", false));
            out.put("noneNextPage", measure(SEARCH + "&_total=none", true));
        }
        if (cases.contains("count")) {
            out.put("count", measure(SEARCH.replace("&_count=20", "") + "&_summary=count", false));
        }
        return out;
    }

    /** {@code next}: measure the page the first page links to (the first page is fetched, unmeasured, before each). */
    private Map<String, Object> measure(String path, boolean next) throws Exception {
        for (int i = 0; i < 2; i++) {
            page(next ? nextOf(path) : path); // warm-up
        }
        Latencies latency = new Latencies();
        double cpuGateway = 0;
        double cpuPostgres = 0;
        long scans = 0;
        long tuples = 0;
        long bytes = 0;
        String last = "";
        for (int i = 0; i < repeats; i++) {
            String target = next ? nextOf(path) : path;
            long[] db0 = database.readWork();
            double[] cpu0 = gateway.cpuSeconds();
            long t0 = System.nanoTime();
            HttpResponse<String> r = page(target);
            latency.add(System.nanoTime() - t0);
            double[] cpu1 = gateway.cpuSeconds();
            long[] db1 = database.readWork();
            cpuGateway += cpu1[0] - cpu0[0];
            cpuPostgres += cpu1[1] - cpu0[1];
            scans += db1[0] - db0[0];
            tuples += db1[1] - db0[1];
            bytes += r.body().length();
            last = r.body();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("p50Ms", round(latency.percentileMs(50)));
        m.put("maxMs", round(latency.percentileMs(100)));
        m.put("cpuMsPerRequest", Map.of("gatewayJvm", round(cpuGateway * 1000 / repeats), "postgres", round(cpuPostgres * 1000 / repeats)));
        // The statistics snapshot's own connection adds a few scans of the catalogue, not of user tables.
        m.put("scansPerRequest", round((double) scans / repeats));
        m.put("tuplesPerRequest", round((double) tuples / repeats));
        m.put("bytesPerResponse", bytes / repeats);
        Matcher total = TOTAL.matcher(last);
        m.put("total", total.find() ? Long.parseLong(total.group(1)) : "absent");
        m.put("entries", ENTRY.matcher(last).results().count());
        GatewayBench.log("broad search " + path + (next ? " (next page)" : "") + ": " + m);
        return m;
    }

    private String nextOf(String path) throws Exception {
        Matcher m = NEXT.matcher(page(path).body());
        if (!m.find()) {
            throw new IllegalStateException("no next link for " + path);
        }
        String url = m.group(1).replace("&amp;", "&");
        return url.substring(url.indexOf("/fhir"));
    }

    private HttpResponse<String> page(String path) throws Exception {
        HttpResponse<String> r = gateway.http().send(HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + gateway.token("systmone-gp", "demo-systmone-gp"))
                .header("Accept", "application/fhir+json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("broad search " + path + ": HTTP " + r.statusCode());
        }
        return r;
    }

    private static double round(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? -1 : Math.round(v * 10) / 10.0;
    }
}
