package org.childrensgateway.security.dev;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.text.ParseException;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The development issuer's signing key, kept in PostgreSQL (table {@code dev_signing_key}): made
 * by whichever node first needs it, then read by every node, so development tokens survive a
 * restart and are good on every node behind one database. Read on first use (after Liquibase has
 * run), then held in memory. The private key is in the database: acceptable for the development
 * issuer only, which never runs with real data (docs/security.md); production uses an external issuer.
 *
 * <p>It is read, or made, on a background thread as soon as the application is ready: making an
 * RSA key takes one to two seconds of CPU here, which the first token request (or the first
 * bearer token checked) would otherwise wait for. A request that comes sooner waits for it as before.
 */
final class PersistedSigningKey implements JWKSource<SecurityContext>, ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(PersistedSigningKey.class);

    private final JdbcClient jdbc;
    private volatile JWKSet keys;

    PersistedSigningKey(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Thread loader = new Thread(() -> {
            try {
                keys();
            } catch (KeySourceException | RuntimeException e) {
                // The first request that needs the key tries again, and answers with the error if it persists.
                log.warn("Development authorization server: signing key not loaded in the background: {}", e.toString());
            }
        }, "dev-signing-key");
        loader.setDaemon(true);
        loader.start();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        return selector.select(keys());
    }

    private JWKSet keys() throws KeySourceException {
        JWKSet current = keys;
        if (current == null) {
            synchronized (this) {
                if (keys == null) {
                    keys = load();
                }
                current = keys;
            }
        }
        return current;
    }

    private JWKSet load() throws KeySourceException {
        try {
            String stored = stored();
            if (stored == null) {
                String made = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE).generate().toJSONString();
                // Two nodes starting together: one insert wins, both then read the winner's key.
                jdbc.sql("insert into dev_signing_key (id, jwk) values (1, ?) on conflict (id) do nothing").param(made).update();
                stored = stored();
                log.info("Development authorization server: signing key made and kept in PostgreSQL");
            }
            return new JWKSet(JWK.parse(stored));
        } catch (JOSEException | ParseException e) {
            throw new KeySourceException("the development signing key cannot be made or read", e);
        }
    }

    private String stored() {
        return jdbc.sql("select jwk from dev_signing_key where id = 1").query(String.class).optional().orElse(null);
    }
}
