package org.childrensgateway.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hash chain over stored AuditEvents. Each link holds the SHA-256 of the AuditEvent as stored
 * ({@code content::text} of the jsonb), the previous link's chain hash and its own
 * {@code chain_hash = sha256(prev_hash || content_hash)} (hex strings, UTF-8). Links are appended
 * by {@link AuditStore} in the statement that stores their events; it locks the single-row chain
 * head, so the chain stays linear however many gateway nodes write to it.
 */
@Repository
public class AuditChain {

    public static final String GENESIS = "0".repeat(64);

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate readTransaction;

    public AuditChain(JdbcClient jdbc, DataSource dataSource, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        // Its own template: verification streams the chain with a fetch size, without touching the shared one.
        this.template = new JdbcTemplate(dataSource);
        this.template.setFetchSize(500);
        this.readTransaction = new TransactionTemplate(transactions);
        this.readTransaction.setReadOnly(true);
        this.readTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Recomputes every link from the stored AuditEvents; stops at the first broken one. */
    public Verification verify() {
        return readTransaction.execute(status -> {
            State state = new State();
            template.query("""
                    select c.seq, c.content_hash, c.prev_hash, c.chain_hash, r.content::text, h.content::text,
                           r.version_id, r.deleted
                    from audit_chain c
                    left join resource r on r.pid = c.pid and r.res_type = 'AuditEvent'
                    left join resource_history h on h.pid = c.pid and h.version_id = 1
                    order by c.seq
                    """, rs -> {
                if (state.broken != null) {
                    return;
                }
                long seq = rs.getLong(1);
                String reason = check(state, seq, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getLong(7), rs.getBoolean(8));
                if (reason != null) {
                    state.broken = seq;
                    state.reason = reason;
                    return;
                }
                state.checked++;
                state.lastSeq = seq;
                state.lastHash = rs.getString(4);
            });
            if (state.broken == null) {
                // The head must point at the last link: rows cut off the end of the chain show here.
                var head = jdbc.sql("select last_seq, last_hash from audit_chain_head where id = 1")
                        .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}).single();
                if ((long) head[0] != state.lastSeq || !head[1].equals(state.lastHash)) {
                    state.broken = state.lastSeq + 1;
                    state.reason = "the chain head names seq " + head[0] + " but the chain ends at seq " + state.lastSeq;
                }
            }
            return new Verification(state.broken == null, state.checked, state.broken, state.reason);
        });
    }

    private static String check(State state, long seq, String contentHash, String prevHash, String chainHash,
                                String content, String historyContent, long version, boolean deleted) {
        if (seq != state.lastSeq + 1) {
            return "link " + (state.lastSeq + 1) + " is missing";
        }
        if (!state.lastHash.equals(prevHash)) {
            return "prev_hash does not match the previous link's chain_hash";
        }
        if (!sha256(prevHash + contentHash).equals(chainHash)) {
            return "chain_hash does not match sha256(prev_hash || content_hash)";
        }
        if (content == null || deleted || version != 1) {
            return "the AuditEvent is missing, deleted or has been changed (version " + version + ")";
        }
        if (!sha256(content).equals(contentHash)) {
            return "the AuditEvent's content does not match its content_hash";
        }
        // AuditStore no longer writes a history copy (vread and _history read the current row); a copy
        // written before it stopped must still match, as it did.
        if (historyContent != null && !sha256(historyContent).equals(contentHash)) {
            return "the AuditEvent's history copy does not match its content_hash";
        }
        return null;
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class State {
        long checked;
        long lastSeq;
        String lastHash = GENESIS;
        Long broken;
        String reason;
    }

    /**
     * @param intact          every link checked out
     * @param checked         links verified before the first broken one (all of them when intact)
     * @param firstBrokenSeq  the first link that does not verify, or null
     * @param reason          why it does not (no personal data)
     */
    public record Verification(boolean intact, long checked, Long firstBrokenSeq, String reason) {
    }
}
