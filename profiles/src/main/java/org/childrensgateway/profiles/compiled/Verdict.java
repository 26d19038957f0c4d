package org.childrensgateway.profiles.compiled;

/**
 * What the compiled checks make of a resource. Only {@link Kind#ACCEPT} lets a caller skip HAPI's
 * validator; REJECT and UNSURE both mean "ask HAPI", REJECT additionally naming the element the
 * compiled checks found wrong (so the differential test can hold it against HAPI's finding).
 *
 * @param path FHIRPath-style location (e.g. {@code Patient.identifier[0].value}), null for ACCEPT
 * @param reason short description of the problem or of what was not understood; never quotes data
 */
public record Verdict(Kind kind, String path, String reason) {

  public enum Kind { ACCEPT, REJECT, UNSURE }

  public static final Verdict ACCEPT = new Verdict(Kind.ACCEPT, null, null);

  public static Verdict reject(String path, String reason) {
    return new Verdict(Kind.REJECT, path, reason);
  }

  public static Verdict unsure(String path, String reason) {
    return new Verdict(Kind.UNSURE, path, reason);
  }

  public boolean isAccept() {
    return kind == Kind.ACCEPT;
  }

  @Override
  public String toString() {
    return kind == Kind.ACCEPT ? "ACCEPT" : kind + " @ " + path + ": " + reason;
  }
}
