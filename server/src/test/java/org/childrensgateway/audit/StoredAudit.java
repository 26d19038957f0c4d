package org.childrensgateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The stored AuditEvent of one request, for tests that check a response was accounted for. */
public final class StoredAudit {

    private StoredAudit() {
    }

    /** The one AuditEvent naming the request with this X-Request-ID, as JSON text (fails unless exactly one). */
    public static String ofRequest(JdbcClient jdbc, String requestId) {
        assertThat(requestId).as("the response's X-Request-ID").isNotNull();
        List<String> found = jdbc.sql("select content::text from resource where res_type = 'AuditEvent' and content::text like ?")
                .param("%" + requestId + "%").query(String.class).list();
        assertThat(found).as("one AuditEvent for request " + requestId).hasSize(1);
        return found.get(0);
    }
}
