package org.childrensgateway.profiles.compiled;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The lexical rules FHIR R4 gives each primitive type (the regexes of the R4 datatypes page, which
 * HAPI's validator applies), for the types whose rules are fully known here. A type not listed is
 * not understood: its values make the verdict UNSURE.
 */
final class PrimitiveFormats {

  private static final String YEAR = "([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)";
  private static final String DATE = YEAR + "(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?";
  private static final String TIME = "([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?";
  private static final String ZONE = "(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))";

  private static final Map<String, Pattern> FORMATS = Map.ofEntries(
      Map.entry("boolean", Pattern.compile("true|false")),
      Map.entry("integer", Pattern.compile("-?([0]|([1-9][0-9]*))")),
      Map.entry("positiveInt", Pattern.compile("\\+?[1-9][0-9]*")),
      Map.entry("unsignedInt", Pattern.compile("[0]|([1-9][0-9]*)")),
      Map.entry("decimal", Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")),
      Map.entry("date", Pattern.compile(DATE)),
      Map.entry("dateTime", Pattern.compile(YEAR + "(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T" + TIME + ZONE + ")?)?)?")),
      Map.entry("instant", Pattern.compile(YEAR + "-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T" + TIME + ZONE)),
      Map.entry("id", Pattern.compile("[A-Za-z0-9\\-.]{1,64}")),
      Map.entry("code", Pattern.compile("[^\\s]+( [^\\s]+)*")),
      Map.entry("string", Pattern.compile("[\\s\\S]+")),
      Map.entry("markdown", Pattern.compile("[\\s\\S]+")),
      Map.entry("uri", Pattern.compile("\\S+")),
      Map.entry("url", Pattern.compile("\\S+")),
      Map.entry("canonical", Pattern.compile("\\S+")));

  /**
   * Systems the fast path vouches for: the namespaces the gateway's mappings, profiles and UK Core
   * use, followed by plain path characters. HAPI's rules for other systems (schemes, local
   * references, odd characters) are more than a pattern here can be sure of (the fuzz test found
   * {@code htdps://...} refused by HAPI and accepted by an earlier, scheme-based rule), so any other
   * system is left to HAPI.
   */
  private static final Pattern KNOWN_SYSTEM = Pattern.compile("(https://fhir\\.childrens-gateway\\.uk/|https://fhir\\.nhs\\.uk/"
      + "|https://fhir\\.hl7\\.org\\.uk/|http://terminology\\.hl7\\.org/|http://hl7\\.org/fhir/|http://snomed\\.info/sct"
      + "|http://loinc\\.org|http://unitsofmeasure\\.org|urn:ietf:bcp:47)[A-Za-z0-9\\-._~/]*");
  private static final Pattern DECIMAL_DIGIT = Pattern.compile("[0-9]");

  /** FHIR's limit on string size (1 MB). */
  private static final int MAX_STRING = 1024 * 1024;

  private PrimitiveFormats() {}

  /** Whether a code or identifier system is one the fast path vouches for (see {@link #KNOWN_SYSTEM}). */
  static boolean isKnownSystem(String text) {
    Boolean known = KNOWN_SYSTEMS.get(text);
    if (known == null) {
      known = KNOWN_SYSTEM.matcher(text).matches();
      if (KNOWN_SYSTEMS.size() < MAX_REMEMBERED_SYSTEMS) { // systems come from input: a bounded memo
        KNOWN_SYSTEMS.put(text, known);
      }
    }
    return known;
  }

  /**
   * The answers of {@link #isKnownSystem} so far: every coding and identifier has a system, a feed
   * uses a handful, and the regex match per value was a sixteenth of the compiled checks' time.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> KNOWN_SYSTEMS = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_REMEMBERED_SYSTEMS = 4_096;

  static boolean knows(String type) {
    return FORMATS.containsKey(type);
  }

  /** A value's standing: valid, certainly invalid (HAPI reports an error), or not decided here. */
  enum Standing { VALID, INVALID, UNDECIDED }

  /**
   * Beyond the regex: calendar dates must exist (HAPI parses them), integers must fit 32 bits.
   * Padded values and over-long strings are left to HAPI (it warns about some, refuses others).
   */
  static Standing check(String type, String text) {
    if (text == null || text.isEmpty()) {
      return Standing.INVALID;
    }
    if (!text.equals(text.strip())) {
      return Standing.UNDECIDED; // HAPI trims some types before checking them, and warns about others
    }
    if (!matches(type, text)) {
      return Standing.INVALID;
    }
    switch (type) {
      case "string", "markdown" -> {
        if (text.length() > MAX_STRING) {
          return Standing.UNDECIDED;
        }
      }
      case "decimal" -> {
        if (DECIMAL_DIGIT.matcher(text).results().count() > 18) {
          return Standing.UNDECIDED; // HAPI has precision rules of its own for long decimals
        }
      }
      case "integer", "positiveInt", "unsignedInt" -> {
        try {
          Integer.parseInt(text);
        } catch (NumberFormatException e) {
          return Standing.INVALID;
        }
      }
      case "date", "dateTime", "instant" -> {
        if (text.length() >= 10 && !realDate(text.substring(0, 10))) {
          return Standing.INVALID;
        }
      }
      default -> { }
    }
    return Standing.VALID;
  }

  /**
   * The type's regex, by a plain scan for the types nearly every element has (strings, codes, uris,
   * ids): the same answer as the pattern in {@link #FORMATS}, without a regex match per value
   * (the match was the largest single cost of the compiled checks). {@code text} is non-empty.
   */
  static boolean matches(String type, String text) {
    return switch (type) {
      case "string", "markdown" -> true; // [\s\S]+: anything non-empty
      case "uri", "url", "canonical" -> noRegexWhitespace(text); // \S+
      case "id" -> isId(text);
      case "code" -> isCode(text);
      case "boolean" -> text.equals("true") || text.equals("false");
      default -> FORMATS.get(type).matcher(text).matches();
    };
  }

  /** Java regex's \s: space, tab, newline, vertical tab, form feed, carriage return. */
  private static boolean regexWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
  }

  private static boolean noRegexWhitespace(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (regexWhitespace(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** [A-Za-z0-9\-.]{1,64} */
  private static boolean isId(String text) {
    if (text.length() > 64) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  /** [^\s]+( [^\s]+)*: runs of non-whitespace separated by single spaces, none at either end. */
  private static boolean isCode(String text) {
    boolean previousSpace = true; // at the start, as after a separator: a value cannot begin with one
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (regexWhitespace(c)) {
        if (c != ' ' || previousSpace) {
          return false;
        }
        previousSpace = true;
      } else {
        previousSpace = false;
      }
    }
    return !previousSpace;
  }

  private static boolean realDate(String ymd) {
    try {
      java.time.LocalDate.parse(ymd);
      return true;
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }
}
