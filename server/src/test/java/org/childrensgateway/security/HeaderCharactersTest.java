package org.childrensgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** The gateway's header check allows exactly what Spring Security's firewall allows by default. */
class HeaderCharactersTest {

    @Test
    void everyCodePointIsJudgedAsTheFirewallJudgesIt() {
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String s = "a" + new String(Character.toChars(cp)) + "b";
            assertThat(HeaderCharacters.VALUES.test(s)).as("value with U+%04X", cp).isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(s));
            assertThat(HeaderCharacters.NAMES.test(s)).as("name with U+%04X", cp).isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(s));
        }
    }

    @Test
    void stringsOfMixedCharactersAndLoneSurrogatesAreJudgedAsTheFirewallJudgesThem() {
        String alphabet = "aZ09 \t\n\r\u0000\u007f\u0085\u00a0\u00e9\ud800\udc00\udbff\udfff\u0378\ufffe\u200b";
        Random random = new Random(8);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(10);
            for (int j = 0; j < length; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String v = s.toString();
            assertThat(HeaderCharacters.VALUES.test(v)).as("value [%s]", v).isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(v));
            assertThat(HeaderCharacters.NAMES.test(v)).as("name [%s]", v).isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(v));
        }
        assertThat(HeaderCharacters.VALUES.test("Bearer abc\tdef")).isTrue();
        assertThat(HeaderCharacters.NAMES.test("X-A\tB")).isFalse();
    }
}
