package org.childrensgateway.fhir;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.childrensgateway.store.SearchPosition;

/**
 * The {@code _pageId} of a keyset page: the page size and the position the page starts after,
 * signed (HMAC-SHA256) with its search session's own key, over the session's id too. A token altered
 * in any way, made up, or moved to another session does not verify, and is answered as an unknown
 * page; who may use the session at all is the session's owner check.
 */
final class PageToken {

    /** A verified token: the page size and where the page starts. */
    record Page(int size, SearchPosition after) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private PageToken() {
    }

    static byte[] newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    static String sign(byte[] key, String session, int size, SearchPosition after) {
        String payload = size + "." + after.lastUpdated().getEpochSecond() + "." + after.lastUpdated().getNano() + "." + after.pid();
        return payload + "." + mac(key, session, payload);
    }

    /** The page a token names, if it is one this session signed with a page size up to {@code maxSize}. */
    static Optional<Page> read(byte[] key, String session, String token, int maxSize) {
        if (key == null || token == null) {
            return Optional.empty();
        }
        int signature = token.lastIndexOf('.');
        if (signature < 0) {
            return Optional.empty();
        }
        String payload = token.substring(0, signature);
        byte[] given = token.substring(signature + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(given, mac(key, session, payload).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        String[] parts = payload.split("\\.");
        try {
            int size = Integer.parseInt(parts[0]);
            Instant at = Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            return parts.length == 4 && size > 0 && size <= maxSize
                    ? Optional.of(new Page(size, new SearchPosition(at, Long.parseLong(parts[3])))) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String mac(byte[] key, String session, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((session + "|" + payload).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
