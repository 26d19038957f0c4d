package org.childrensgateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryCheckTest {

    private static final RequestLimits LIMITS = new RequestLimits(0, 0, 0, 0, 100, 5, 0, null);

    @Test
    void acceptsOrdinaryQueries() {
        assertThat(QueryCheck.problem(null, LIMITS)).isNull();
        assertThat(QueryCheck.problem("identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C9434765919&_count=10", LIMITS)).isNull();
        assertThat(QueryCheck.problem("family=Sm%C3%B6th&given=Ann+Marie&_count=0", LIMITS)).isNull();
        assertThat(QueryCheck.problem("_summary", LIMITS)).isNull();
    }

    @Test
    void refusesWhatCannotBeSearchedOrStoredAndNamesTheParameterNotTheValue() {
        assertThat(QueryCheck.problem("identifier=9434%00765919", LIMITS)).contains("'identifier'").contains("control").doesNotContain("9434");
        assertThat(QueryCheck.problem("family=%C3%28", LIMITS)).contains("'family'").contains("UTF-8");
        assertThat(QueryCheck.problem("family=%ED%A0%80", LIMITS)).as("an encoded lone surrogate").contains("UTF-8");
        assertThat(QueryCheck.problem("family=%4", LIMITS)).contains("percent-encoded");
        assertThat(QueryCheck.problem("%00=1", LIMITS)).contains("name");
    }

    @Test
    void countAndOffsetAreWholeNumbersFromZero() {
        assertThat(QueryCheck.problem("_count=-1", LIMITS)).contains("_count");
        assertThat(QueryCheck.problem("_count=1.5", LIMITS)).contains("_count");
        assertThat(QueryCheck.problem("_count=99999999999", LIMITS)).contains("_count");
        assertThat(QueryCheck.problem("_getpagesoffset=-20", LIMITS)).contains("_getpagesoffset");
        assertThat(QueryCheck.problem("_count=500000", LIMITS)).isNull();
    }

    @Test
    void lengthAndNumberOfParameters() {
        assertThat(QueryCheck.problem("a=" + "x".repeat(99), LIMITS)).contains("longer");
        assertThat(QueryCheck.problem("a=1&b=2&c=3&d=4&e=5&f=6", LIMITS)).contains("more than the limit of 5");
    }

    /** The decoding gives what the byte-by-byte decoding of round 7 gave (kept here as the reference), for any input. */
    @Test
    void decodingMatchesTheReferenceDecodingForAnyInput() {
        String alphabet = "aZ09-._~%+=&2F4CFEDA8\u0000\u001f\u007f\u00e9\u20ac\ud800\udc00 ";
        java.util.Random random = new java.util.Random(16);
        for (int i = 0; i < 100_000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String raw = s.toString();
            assertThat(QueryCheck.decode(raw)).as("[%s]", raw).isEqualTo(reference(raw));
        }
        assertThat(QueryCheck.decode("Sm%C3%B6th+Ann")).isEqualTo("Sm\u00f6th Ann");
        assertThat(QueryCheck.decode("a%2")).isNull();
    }

    private static String reference(String raw) {
        byte[] bytes = new byte[raw.length() * 3];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                bytes[n++] = ' ';
            } else {
                byte[] encoded = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (Character.isSurrogate(c)) {
                    return null;
                }
                for (byte b : encoded) {
                    bytes[n++] = b;
                }
            }
        }
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
