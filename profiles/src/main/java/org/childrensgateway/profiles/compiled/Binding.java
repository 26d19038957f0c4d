package org.childrensgateway.profiles.compiled;

import java.util.Map;

/**
 * A binding, with its value set enumerated from loaded resources where that is possible.
 *
 * @param required whether the strength is required (otherwise extensible or preferred)
 * @param codes "system|code" to the display the value set gives it (may be null); null if the value
 *     set could not be enumerated completely
 */
record Binding(String valueSet, boolean required, Map<String, String> codes) {

  boolean enumerable() {
    return codes != null;
  }

  /** Whether a bare code (no system, as in a {@code code} element) is in the value set. */
  boolean hasCode(String code) {
    for (String key : codes.keySet()) {
      if (key.endsWith("|" + code) && key.length() - code.length() - 1 == key.lastIndexOf('|')) {
        return true;
      }
    }
    return false;
  }
}
