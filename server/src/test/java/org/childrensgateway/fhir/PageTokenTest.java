package org.childrensgateway.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.childrensgateway.store.SearchPosition;
import org.junit.jupiter.api.Test;

/** A keyset page token reads back only unaltered, with its own session's key and id, and a page size in bounds. */
class PageTokenTest {

    private static final byte[] KEY = PageToken.newKey();
    private static final String SESSION = "6f1c2a7e-0000-4000-8000-000000000001";
    private static final SearchPosition AT = new SearchPosition(Instant.parse("2026-12-01T10:00:00.123456Z"), 4242L);

    @Test
    void readsBackWhatWasSigned() {
        String token = PageToken.sign(KEY, SESSION, 20, AT);
        PageToken.Page page = PageToken.read(KEY, SESSION, token, 500).orElseThrow();
        assertThat(page.size()).isEqualTo(20);
        assertThat(page.after()).isEqualTo(AT);
    }

    @Test
    void refusesEveryAlteration() {
        String token = PageToken.sign(KEY, SESSION, 20, AT);
        String mac = token.substring(token.lastIndexOf('.') + 1);
        List<String[]> refused = List.of(
                new String[] {"another page size", token.replaceFirst("^20\\.", "500.")},
                new String[] {"another position", token.replace(".4242.", ".4243.")},
                new String[] {"another time", token.replace(".123456000.", ".123456001.")},
                new String[] {"a signature altered", token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A")},
                new String[] {"no signature", token.substring(0, token.lastIndexOf('.'))},
                new String[] {"a made-up signature", "20.0.0.1." + mac},
                new String[] {"empty", ""},
                new String[] {"garbage", "not-a-token"},
                new String[] {"extra parts", "1." + token});
        for (String[] attempt : refused) {
            assertThat(PageToken.read(KEY, SESSION, attempt[1], 500)).as(attempt[0]).isEmpty();
        }
        assertThat(PageToken.read(KEY, "6f1c2a7e-0000-4000-8000-000000000002", token, 500)).as("another session").isEmpty();
        assertThat(PageToken.read(PageToken.newKey(), SESSION, token, 500)).as("another session's key").isEmpty();
        assertThat(PageToken.read(KEY, SESSION, token, 10)).as("a page larger than the largest").isEmpty();
        assertThat(PageToken.read(null, SESSION, token, 500)).as("a session without a key").isEmpty();
    }
}
