package org.childrensgateway.mappers.transform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NhsNumberTest {

    @Test
    void modulusElevenAcceptsPublishedValidNumbersAndRejectsOthers() {
        assertThat(NhsNumber.isValid("9434765919")).isTrue();
        assertThat(NhsNumber.isValid("9000000009")).isTrue();
        assertThat(NhsNumber.isValid("9995260182")).isTrue();
        assertThat(NhsNumber.isValid("9912003890")).as("published example that fails the check").isFalse();
        assertThat(NhsNumber.isValid("9995260183")).as("RIO1000126 in the samples").isFalse();
        assertThat(NhsNumber.isValid("943476591")).isFalse();
        assertThat(NhsNumber.isValid("94347659x9")).isFalse();
    }

    @Test
    void normalisesSpacesAndHyphensAndNeverEchoesTheNumberInAProblem() {
        assertThat(NhsNumber.normalise("943 476 5919")).contains("9434765919");
        assertThat(NhsNumber.normalise("999-159-0838")).contains("9991590838");
        assertThat(NhsNumber.normalise("  ")).isEmpty();
        assertThat(NhsNumber.problem("9434765918")).hasValueSatisfying(p -> assertThat(p).contains("modulus-11").doesNotContain("9434765918"));
        assertThat(NhsNumber.problem("9434765919")).isEmpty();
    }

    @Test
    void checkDigitIsAddedOrRefusedWhenNoneExists() {
        assertThat(NhsNumber.withCheckDigit("943476591")).contains("9434765919");
        assertThat(NhsNumber.withCheckDigit("999526018")).contains("9995260182");
        // 000000006: 6 x 2 = 12, remainder 1, so the check digit would be 10: no valid number exists.
        assertThat(NhsNumber.withCheckDigit("000000006")).isEmpty();
    }
}
