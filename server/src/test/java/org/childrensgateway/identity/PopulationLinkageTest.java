package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.childrensgateway.GatewayTestBase;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Linkage quality on a generated population with known truth: 3,000 children, two or three source
 * records each, with realistic noise, twins and siblings (see {@link PopulationGenerator}). The
 * records go through the production matcher and person index (PostgreSQL, in a pool of their own so
 * they never meet other tests' records); FHIR resources are not written, which keeps it well under
 * a minute. Precision and recall are over pairs of source records: a pair is predicted when both
 * records end in one child record, true when both belong to one child.
 */
class PopulationLinkageTest extends GatewayTestBase {

    private static final Logger LOG = LoggerFactory.getLogger(PopulationLinkageTest.class);
    static final int CHILDREN = 3000;

    @Autowired
    PersonLinker linker;
    @Autowired
    PersonIndexStore index;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void precisionAtLeast999AndRecallAtLeast95Percent() {
        String pool = "pop-" + System.nanoTime() % 1_000_000;
        List<PopulationGenerator.SourceRecord> records = new PopulationGenerator(20261122L).generate(CHILDREN, pool);
        long start = System.nanoTime();
        for (int i = 0; i < records.size(); i += 200) {
            List<PopulationGenerator.SourceRecord> batch = records.subList(i, Math.min(records.size(), i + 200));
            transactions.executeWithoutResult(s -> batch.forEach(r -> linker.match(pool, r.features())));
        }
        double msPerRecord = (System.nanoTime() - start) / 1e6 / records.size();

        Map<String, Integer> truth = new HashMap<>();
        records.forEach(r -> truth.put(r.features().sourceId(), r.truth()));
        Map<String, String> predicted = index.childrenOf(pool, truth.keySet());
        List<String> ids = new ArrayList<>(truth.keySet());
        long tp = 0, fp = 0, fn = 0;
        Map<Integer, List<String>> byTruth = new HashMap<>();
        ids.forEach(id -> byTruth.computeIfAbsent(truth.get(id), k -> new ArrayList<>()).add(id));
        Map<String, List<String>> byPredicted = new HashMap<>();
        ids.forEach(id -> byPredicted.computeIfAbsent(predicted.get(id), k -> new ArrayList<>()).add(id));
        for (List<String> cluster : byPredicted.values()) {
            for (int a = 0; a < cluster.size(); a++) {
                for (int b = a + 1; b < cluster.size(); b++) {
                    if (truth.get(cluster.get(a)).equals(truth.get(cluster.get(b)))) {
                        tp++;
                    } else {
                        fp++;
                    }
                }
            }
        }
        long truePairs = byTruth.values().stream().mapToLong(c -> (long) c.size() * (c.size() - 1) / 2).sum();
        fn = truePairs - tp;
        double precision = tp + fp == 0 ? 1 : (double) tp / (tp + fp);
        double recall = (double) tp / truePairs;
        long reviews = index.reviews("open", 100_000).stream().filter(r -> r.pool().equals(pool)).count();
        // Figures only: no personal data (the population is synthetic anyway).
        LOG.info("Population linkage: {} children, {} records, true pairs {}, TP {}, FP {}, FN {}, precision {}, recall {},"
                        + " {} review tasks, {} ms per record",
                CHILDREN, records.size(), truePairs, tp, fp, fn, String.format("%.5f", precision), String.format("%.5f", recall),
                reviews, String.format("%.2f", msPerRecord));
        assertThat(precision).isGreaterThanOrEqualTo(0.999);
        assertThat(recall).isGreaterThanOrEqualTo(0.95);
    }
}
