package org.childrensgateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryCheckTest {

    private static final RequestLimits LIMITS = new RequestLimits(0, 0, 0, 0, 100, 5, 0, null);

    @Test
    void acceptsOrdinaryQueries() {
        assertThat(QueryCheck.problem(null, LIMITS)).isNull();
        assertThat(QueryCheck.problem("identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9434765919&_count=10", LIMITS)).isNull();
        assertThat(QueryCheck.problem("family=Sm%C3%B6th&given=Ann+Marie&_count=0", LIMITS)).isNull();
        assertThat(QueryCheck.problem("_summary", LIMITS)).isNull();
    }

    @Test
    void refusesWhatCannotBeSearchedOrStoredAndNamesTheParameterNotTheValue() {
        assertThat(QueryCheck.problem("identifier=9434%00765919", LIMITS)).contains("'identifier'").contains("control").doesNotContain("9434");
        assertThat(QueryCheck.problem("family=%C3%28", LIMITS)).contains("'family'").contains("UTF-8");
        assertThat(QueryCheck.problem("family=%ED%A0%80", LIMITS)).as("an encoded lone surrogate").contains("UTF-8");
        assertThat(QueryCheck.problem("family=%4", LIMITS)).contains("percent-encoded");
        assertThat(QueryCheck.problem("%00=1", LIMITS)).contains("name");
    }

    @Test
    void countAndOffsetAreWholeNumbersFromZero() {
        assertThat(QueryCheck.problem("_count=-1", LIMITS)).contains("_count");
        assertThat(QueryCheck.problem("_count=1.5", LIMITS)).contains("_count");
        assertThat(QueryCheck.problem("_count=99999999999", LIMITS)).contains("_count");
        assertThat(QueryCheck.problem("_getpagesoffset=-20", LIMITS)).contains("_getpagesoffset");
        assertThat(QueryCheck.problem("_count=500000", LIMITS)).isNull();
    }

    @Test
    void lengthAndNumberOfParameters() {
        assertThat(QueryCheck.problem("a=" + "x".repeat(99), LIMITS)).contains("longer");
        assertThat(QueryCheck.problem("a=1&b=2&c=3&d=4&e=5&f=6", LIMITS)).contains("more than the limit of 5");
    }
}
