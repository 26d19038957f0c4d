package org.childrensgateway.profiles.compiled;

import org.hl7.fhir.r4.model.Base;

/** A Java rendering of one FHIRPath constraint ({@code ElementDefinition.constraint}) of severity error. */
interface Invariant {

  /** UNKNOWN where the rendering does not decide (e.g. contained resources): the caller falls back. */
  enum Result { HOLDS, FAILS, UNKNOWN }

  /** The constraint key (e.g. {@code ele-1}), used as the reason when it fails. */
  String key();

  /** The constraint on the focus element ({@code resource} is %resource). */
  Result evaluate(Base focus, Base resource);
}
