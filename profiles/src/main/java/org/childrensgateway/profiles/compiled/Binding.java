package org.childrensgateway.profiles.compiled;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A binding, with its value set enumerated from loaded resources where that is possible.
 *
 * @param required whether the strength is required (otherwise extensible or preferred)
 * @param codes "system|code" to the display the value set gives it (may be null); null if the value
 *     set could not be enumerated completely
 * @param bareCodes the codes without their systems (what a {@code code} or {@code uri} element holds)
 */
record Binding(String valueSet, boolean required, Map<String, String> codes, Set<String> bareCodes) {

  static Binding of(String valueSet, boolean required, Map<String, String> codes) {
    Set<String> bare = codes == null ? null
        : codes.keySet().stream().map(k -> k.substring(k.indexOf('|') + 1)).collect(Collectors.toUnmodifiableSet());
    return new Binding(valueSet, required, codes, bare);
  }

  boolean enumerable() {
    return codes != null;
  }
}
