package org.childrensgateway.profiles.compiled;

/**
 * A location in the resource being checked ({@code Patient.identifier[0].value}), kept as a chain
 * so that the text is only built when a verdict names it.
 */
final class Loc {

  private final Loc parent;
  private final String name;
  private final int index;

  private Loc(Loc parent, String name, int index) {
    this.parent = parent;
    this.name = name;
    this.index = index;
  }

  static Loc root(String type) {
    return new Loc(null, type, -1);
  }

  Loc child(String childName) {
    return new Loc(this, childName, -1);
  }

  /** The i-th item of this (repeating) element. */
  Loc item(int i) {
    return new Loc(parent, name, i);
  }

  String name() {
    return name;
  }

  Loc parent() {
    return parent;
  }

  /** The location without list indexes ({@code Patient.identifier.value}). */
  String plain() {
    return parent == null ? name : parent.plain() + "." + name;
  }

  @Override
  public String toString() {
    String self = index < 0 ? name : name + "[" + index + "]";
    return parent == null ? self : parent + "." + self;
  }
}
