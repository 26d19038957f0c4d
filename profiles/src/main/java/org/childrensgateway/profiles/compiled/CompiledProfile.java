package org.childrensgateway.profiles.compiled;

import java.util.HashMap;
import java.util.Map;

/** A StructureDefinition snapshot compiled into a tree of {@link ElementRule}s (by element id). */
final class CompiledProfile {

  final String url;
  final String type;
  final Map<String, ElementRule> byId = new HashMap<>();
  ElementRule root;

  CompiledProfile(String url, String type) {
    this.url = url;
    this.type = type;
  }
}
