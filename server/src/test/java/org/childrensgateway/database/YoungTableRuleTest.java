package org.childrensgateway.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a young table is analysed: once its live rows have doubled since its statistics, and only while it is young. */
class YoungTableRuleTest {

    @ParameterizedTest(name = "statistics for {0} rows, {1} live: analyse {2}")
    @CsvSource({
            // never analysed (-1) or analysed empty: from the first 50 rows
            "-1, 0, false",
            "-1, 49, false",
            "-1, 50, true",
            "0, 50, true",
            // analysed: once the table has doubled (plus 50)
            "1000, 2049, false",
            "1000, 2050, true",
            "1000, 1000, false",
            // a small table that is only updated keeps its live rows: never due, however many updates
            "1, 1, false",
            // shrinking is not growth
            "5000, 10, false",
            // past the young limit autovacuum's own thresholds take over
            "99999, 250000, true",
            "100000, 250000, false",
            "2000000, 9000000, false",
    })
    void analysedOnceDoubledWhileYoung(double analysedRows, long liveRows, boolean due) {
        assertThat(YoungTableStatistics.due(analysedRows, liveRows)).isEqualTo(due);
    }
}
