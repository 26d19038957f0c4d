package org.childrensgateway.profiles.compiled;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/** A constraint's Java rendering is used only for the exact expression it was written for. */
class InvariantsTest {

  private static final String NHS_1 = "matches('^[0-9]{10}$')";

  @Test
  void aChangedExpressionHasNoRendering() {
    assertThat(Invariants.forConstraint("cg-nhs-1", NHS_1)).isNotNull();
    assertThat(Invariants.forConstraint("cg-nhs-1", "matches('^[0-9]{9}$')")).isNull();
    assertThat(Invariants.forConstraint("no-such-key", NHS_1)).isNull();
  }

  @Test
  void theNhsNumberConstraintsDecideAsTheirExpressionsDo() {
    Invariant format = Invariants.forConstraint("cg-nhs-1", NHS_1);
    assertThat(format.evaluate(new StringType("9995260182"), null)).isEqualTo(Invariant.Result.HOLDS);
    assertThat(format.evaluate(new StringType("999526018"), null)).isEqualTo(Invariant.Result.FAILS);
  }
}
