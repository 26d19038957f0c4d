package org.childrensgateway.mappers.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvCellsTest {

    @Test
    void formulaStartsAreQuoted() {
        assertThat(CsvCells.neutralise("=HYPERLINK(\"http://x\",\"y\")")).isEqualTo("'=HYPERLINK(\"http://x\",\"y\")");
        assertThat(CsvCells.neutralise("+cmd|' /C calc'!A0")).isEqualTo("'+cmd|' /C calc'!A0");
        assertThat(CsvCells.neutralise("@SUM(1+1)")).isEqualTo("'@SUM(1+1)");
        assertThat(CsvCells.neutralise("\t=1")).isEqualTo("'\t=1");
        assertThat(CsvCells.neutralise("\r=1")).isEqualTo("'\r=1");
        // OWASP: all of them, negative numbers and international phone numbers too.
        assertThat(CsvCells.neutralise("-1.5")).isEqualTo("'-1.5");
        assertThat(CsvCells.neutralise("+447700900123")).isEqualTo("'+447700900123");
    }

    @Test
    void otherCellsAreUnchanged() {
        assertThat(CsvCells.neutralise("")).isEmpty();
        assertThat(CsvCells.neutralise(null)).isNull();
        assertThat(CsvCells.neutralise("Speech and language support")).isEqualTo("Speech and language support");
        assertThat(CsvCells.neutralise("a=b")).isEqualTo("a=b");
        assertThat(CsvCells.neutralise("'quoted")).isEqualTo("'quoted");
    }
}
