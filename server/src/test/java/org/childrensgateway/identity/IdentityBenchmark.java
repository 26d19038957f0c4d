package org.childrensgateway.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Benchmark, not a test: the cost of matching one record against a person index of 1,000 and of
 * a much larger number of children (blocking should make them the same). Bulk-loads generated
 * populations into pools of their own, then times {@link PersonLinker#match} for fresh records.
 * Run: {@code mvn -B -o test -pl server -Dtest=IdentityBenchmark -Didentity.benchmark=true
 * -Didentity.benchmark.sizes=1000,100000} (figures in docs/identity.md).
 */
@EnabledIfSystemProperty(named = "identity.benchmark", matches = "true")
class IdentityBenchmark extends GatewayTestBase {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityBenchmark.class);
    private static final int PROBES = 1000;

    @Autowired
    PersonLinker linker;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ObjectMapper json;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void matchingCostDoesNotGrowWithThePopulation() throws Exception {
        String sizes = System.getProperty("identity.benchmark.sizes", "1000,100000");
        for (String size : sizes.split(",")) {
            run(Integer.parseInt(size.trim()));
        }
    }

    private void run(int children) throws Exception {
        String pool = "bench-" + children + "-" + System.nanoTime() % 100_000;
        List<PopulationGenerator.SourceRecord> population = new PopulationGenerator(7L).generate(children, pool);
        long load = System.nanoTime();
        List<Object[]> features = new ArrayList<>();
        List<Object[]> keys = new ArrayList<>();
        List<Object[]> links = new ArrayList<>();
        for (PopulationGenerator.SourceRecord r : population) {
            PersonFeatures f = r.features();
            features.add(new Object[] {pool, f.sourceId(), json.writeValueAsString(f)});
            BlockingKeys.of(f).forEach(k -> keys.add(new Object[] {pool, k, f.sourceId()}));
            links.add(new Object[] {pool, f.sourceId(), pool + "-c" + r.truth()});
            if (features.size() >= 5000) {
                flush(features, keys, links);
            }
        }
        flush(features, keys, links);
        jdbc.execute("analyze identity_key");
        jdbc.execute("analyze identity_features");
        jdbc.execute("analyze person_link");
        double loadSeconds = (System.nanoTime() - load) / 1e9;

        // Fresh records: new children from another seed (so every match runs the full decision).
        List<PopulationGenerator.SourceRecord> probes = new PopulationGenerator(99L).generate(PROBES, pool + "-probe");
        // Warm up, then time.
        transactions.executeWithoutResult(s -> {
            probes.subList(0, 100).forEach(p -> linker.match(pool, p.features()));
            s.setRollbackOnly();
        });
        long candidates = 0;
        long start = System.nanoTime();
        for (PopulationGenerator.SourceRecord p : probes.subList(100, probes.size())) {
            transactions.executeWithoutResult(s -> linker.match(pool, p.features()));
        }
        double ms = (System.nanoTime() - start) / 1e6 / (probes.size() - 100);
        for (PopulationGenerator.SourceRecord p : probes.subList(100, 300)) {
            candidates += jdbc.queryForObject("select count(distinct source_id) from identity_key where pool = ? and key = any(?)",
                    Long.class, pool, BlockingKeys.of(p.features()).toArray(String[]::new));
        }
        LOG.info("Identity benchmark: {} children ({} source records) loaded in {} s; match {} ms per record (own transaction each),"
                        + " {} candidates per record on average",
                children, population.size(), String.format("%.1f", loadSeconds), String.format("%.2f", ms),
                String.format("%.1f", candidates / 200.0));
    }

    private void flush(List<Object[]> features, List<Object[]> keys, List<Object[]> links) {
        jdbc.batchUpdate("insert into identity_features (pool, source_id, features) values (?, ?, ?::jsonb)", features);
        jdbc.batchUpdate("insert into identity_key (pool, key, source_id) values (?, ?, ?)", keys);
        jdbc.batchUpdate("insert into person_link (pool, source_id, child_id, status, method, created_by)"
                + " values (?, ?, ?, 'linked', 'new', 'benchmark')", links);
        features.clear();
        keys.clear();
        links.clear();
    }
}
