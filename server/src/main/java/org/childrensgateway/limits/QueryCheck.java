package org.childrensgateway.limits;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The query-string rules, pure so they are unit-tested on their own: length, number of
 * parameters, strict percent-encoding and UTF-8 (nothing replaced by U+FFFD), no control
 * characters (NUL cannot be stored or searched in PostgreSQL text), and {@code _count} /
 * {@code _getpagesoffset} whole numbers from 0. Messages name the parameter, never its value
 * (a value may be an NHS number).
 */
final class QueryCheck {

    private static final Pattern PRINTABLE_NAME = Pattern.compile("[A-Za-z0-9_.:\\-]{1,60}");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d{1,9}");

    private QueryCheck() {
    }

    /** Null when the query is acceptable, else why not. */
    static String problem(String query, RequestLimits limits) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        if (query.length() > limits.maxQueryLength()) {
            return "The query string is longer than the limit of " + limits.maxQueryLength() + " characters";
        }
        String[] pairs = query.split("&");
        if (pairs.length > limits.maxQueryParameters()) {
            return "The query has more than the limit of " + limits.maxQueryParameters() + " parameters";
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            String name = decode(rawName);
            if (name == null) {
                return "A query parameter name is not valid percent-encoded UTF-8";
            }
            if (hasControl(name)) {
                return "A query parameter name contains a control character";
            }
            String value = decode(rawValue);
            if (value == null) {
                return "The value of " + label(name) + " is not valid percent-encoded UTF-8";
            }
            if (hasControl(value)) {
                return "The value of " + label(name) + " contains a control character (such as NUL)";
            }
            if (("_count".equals(name) || "_getpagesoffset".equals(name)) && !WHOLE_NUMBER.matcher(value).matches()) {
                return "The value of " + label(name) + " must be a whole number from 0";
            }
        }
        return null;
    }

    /** How a message names the parameter: by name when it is a plain one, never by its value. */
    private static String label(String name) {
        return PRINTABLE_NAME.matcher(name).matches() ? "'" + name + "'" : "a query parameter";
    }

    /** Percent-decodes ({@code +} is a space) and decodes UTF-8 strictly; null if either is malformed. */
    static String decode(String raw) {
        if (plainAscii(raw)) {
            return raw; // nothing to decode (the common case: a name, a code, a number)
        }
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
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                if (Character.isSurrogate(c)) {
                    return null;
                }
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    bytes[n++] = b;
                }
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** ASCII with no {@code %} or {@code +}: it decodes to itself. */
    private static boolean plainAscii(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= 0x80 || c == '%' || c == '+') {
                return false;
            }
        }
        return true;
    }

    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
