package org.childrensgateway.profiles;

import java.util.function.Supplier;

/**
 * One HAPI validation or snapshot generation at a time in the whole JVM.
 *
 * <p>Why: HAPI's validator changes definitions it shares between validations on some inputs, and
 * the core definitions are shared by every validator in the JVM, whatever its FhirContext
 * ({@code DefaultProfileValidationSupport} keeps one set per FHIR version in a static map). Two
 * validations at once broke snapshots for good: run on fuzzed feed records, every later record was
 * a 500 ({@code NoSuchElementException} inside an R5 ElementDefinition's extensions); two
 * validators warming up together (the gateway's and the tests' emitted-conformance check) both
 * logged "Failed to generate snapshot ... Index -1 out of bounds" in the same millisecond, and
 * every Consent write failed from then on. In the gateway the compiled checks decide most writes,
 * so HAPI runs for the few they leave and waiting here costs little.
 */
public final class HapiValidationLock {

  private static final Object LOCK = new Object();

  private HapiValidationLock() {}

  /** Runs {@code work} while no other HAPI validation or snapshot generation runs. */
  public static <T> T exclusively(Supplier<T> work) {
    synchronized (LOCK) {
      return work.get();
    }
  }
}
