package org.childrensgateway.profiles.compiled;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The scans that replace the regexes for the commonest types give the regexes' answers, on edge cases and random text. */
class PrimitiveFormatsTest {

  private static final String[][] REGEXES = {
      {"string", "[\\s\\S]+"}, {"markdown", "[\\s\\S]+"}, {"uri", "\\S+"}, {"url", "\\S+"}, {"canonical", "\\S+"},
      {"id", "[A-Za-z0-9\\-.]{1,64}"}, {"code", "[^\\s]+( [^\\s]+)*"}, {"boolean", "true|false"}};

  @Test
  void scansAgreeWithTheRegexes() {
    List<String> samples = new ArrayList<>(List.of("a", "ab c", "ab  c", " a", "a ", "a\tb", "a\u000Bb", "a\u00A0b", "true", "false",
        "True", "x".repeat(64), "x".repeat(65), "a-b.c", "a_b", "é", "http://x y", "urn:oid:1.2", "a\nb", "\r", " ", "a b c d"));
    Random random = new Random(16);
    String alphabet = "aZ09-._ \t\n\u000B\f\r\u00A0é|#";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = 1 + random.nextInt(random.nextInt(10) == 0 ? 80 : 8);
      for (int k = 0; k < n; k++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      samples.add(b.toString());
    }
    for (String[] r : REGEXES) {
      Pattern p = Pattern.compile(r[1]);
      for (String s : samples) {
        assertThat(PrimitiveFormats.matches(r[0], s)).as(r[0] + " '" + s + "'").isEqualTo(p.matcher(s).matches());
      }
    }
  }
}
