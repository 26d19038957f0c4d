package org.childrensgateway.profiles.compiled;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.UriType;

/**
 * Assigns the values of a sliced element to its slices by the discriminators, then checks each
 * value against its slice (or, unmatched in open slicing, against the base element) and each
 * slice's cardinality. A value whose slice cannot be told for certain (a discriminator path that
 * reaches several values, a slice whose discriminating value the snapshot does not give, a value
 * matching two slices) is not understood.
 */
final class Slices {

  private enum Match { YES, NO, UNKNOWN }

  private static final java.util.regex.Pattern PLAIN_STEP = java.util.regex.Pattern.compile("[a-zA-Z]+");

  private Slices() {}

  static void check(Walker walker, List<Base> values, ElementRule rule, Loc path, boolean list, Loc typeErrorsAt) {
    int[] counts = new int[rule.slices.size()];
    for (int i = 0; i < values.size(); i++) {
      Base value = values.get(i);
      Loc at = list ? path.item(i) : path;
      Loc typeErrorAt = typeErrorsAt == null ? at : typeErrorsAt;
      ElementRule slice = null;
      for (int s = 0; s < rule.slices.size(); s++) {
        Match m = matches(value, rule.slices.get(s), rule.slicing);
        if (m == Match.UNKNOWN || (m == Match.YES && slice != null)) {
          walker.unsure(at, "slice of " + rule.id + " cannot be told");
          return;
        }
        if (m == Match.YES) {
          slice = rule.slices.get(s);
          counts[s]++;
        }
      }
      if (slice != null) {
        walker.typed(value, slice, at, typeErrorAt);
      } else if (rule.slicing.closed()) {
        walker.unsure(at, "value in no slice of closed slicing " + rule.id);
      } else {
        walker.typed(value, rule, at, typeErrorAt);
      }
    }
    for (int s = 0; s < counts.length; s++) {
      ElementRule slice = rule.slices.get(s);
      if (counts[s] < slice.min || (slice.max >= 0 && counts[s] > slice.max)) {
        walker.unsure(path, "cardinality of slice " + slice.sliceName);
      }
    }
  }

  private static Match matches(Base value, ElementRule slice, ElementRule.Slicing slicing) {
    for (ElementRule.Discriminator d : slicing.discriminators()) {
      Match m = d.byType() ? byType(value, slice) : byValue(value, slice, d.path());
      if (m != Match.YES) {
        return m;
      }
    }
    return Match.YES;
  }

  private static Match byType(Base value, ElementRule slice) {
    if (slice.types.size() != 1) {
      return Match.UNKNOWN;
    }
    return slice.types.containsKey(value.fhirType()) ? Match.YES : Match.NO;
  }

  private static Match byValue(Base value, ElementRule slice, String path) {
    Base expected = null;
    boolean fixed = false;
    ElementRule at = slice;
    if (!path.equals("$this")) {
      for (String step : path.split("\\.")) {
        at = at == null ? null : at.children.get(step);
      }
    }
    if (at != null && at.fixed != null) {
      expected = at.fixed;
      fixed = true;
    } else if (at != null && at.pattern != null) {
      expected = at.pattern;
    } else if (path.equals("url") && slice.singleType() != null && slice.singleType().equals("Extension")
        && slice.types.get("Extension").size() == 1) {
      expected = new UriType(slice.types.get("Extension").get(0)); // an extension slice is told by its definition's url
      fixed = true;
    }
    if (expected == null) {
      return Match.UNKNOWN;
    }
    List<Base> actual = valuesAt(value, path);
    if (actual == null || actual.size() > 1) {
      return Match.UNKNOWN;
    }
    if (actual.isEmpty()) {
      return Match.NO;
    }
    boolean same = fixed ? actual.get(0).equalsDeep(expected) : Patterns.matches(actual.get(0), expected);
    return same ? Match.YES : Match.NO;
  }

  /** The values a plain dotted path reaches; null if the path is not plain (functions, choices). */
  private static List<Base> valuesAt(Base value, String path) {
    List<Base> current = List.of(value);
    if (path.equals("$this")) {
      return current;
    }
    for (String step : path.split("\\.")) {
      if (!PLAIN_STEP.matcher(step).matches()) {
        return null;
      }
      List<Base> next = new ArrayList<>();
      for (Base b : current) {
        next.addAll(Elements.values(b, step));
      }
      current = next;
    }
    return current;
  }
}
