package org.childrensgateway.security;

import java.util.function.Predicate;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The characters Spring Security's {@link StrictHttpFirewall} allows in header names and values,
 * by default, checked without its regular expressions: a name's code points must all be assigned
 * and not control characters; a value's too, except that a tab is allowed. The firewall runs its
 * check on every header read through the request, all the way into HAPI (the 800-character bearer
 * token on each request among them); {@code HeaderCharactersTest} holds these to the firewall's
 * own predicates for every code point.
 */
final class HeaderCharacters {

    static final Predicate<String> NAMES = s -> allowed(s, false);
    static final Predicate<String> VALUES = s -> allowed(s, true);

    private HeaderCharacters() {
    }

    /** A firewall with the default rules, and these checks of header names and values. */
    static StrictHttpFirewall firewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(NAMES);
        firewall.setAllowedHeaderValues(VALUES);
        return firewall;
    }

    private static boolean allowed(String s, boolean tab) {
        for (int i = 0, n = s.length(); i < n; ) {
            int cp = s.codePointAt(i);
            if (cp >= 0x20 && cp < 0x7f) { // printable ASCII: assigned, not control
                i++;
                continue;
            }
            int type = Character.getType(cp);
            if (type == Character.UNASSIGNED || (type == Character.CONTROL && !(tab && cp == '\t'))) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }
}
