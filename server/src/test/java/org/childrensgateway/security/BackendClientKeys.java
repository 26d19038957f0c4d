package org.childrensgateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The private keys of the test profile's SMART backend-services client {@value #CLIENT} (its public
 * keys are registered in application-test.yaml), and assertions signed with them by Nimbus JOSE,
 * not by the gateway's code.
 */
final class BackendClientKeys {

    static final String CLIENT = "smart-backend";
    static final String RS_KID = "smart-backend-rs384";
    static final String ES_KID = "smart-backend-es384";
    static final JWKSet PRIVATE;

    static {
        try {
            PRIVATE = JWKSet.load(Path.of("src/test/resources/security/smart-backend-private-jwks.json").toFile());
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private BackendClientKeys() {
    }

    static RSAKey rsa() {
        return (RSAKey) PRIVATE.getKeyByKeyId(RS_KID);
    }

    static ECKey ec() {
        return (ECKey) PRIVATE.getKeyByKeyId(ES_KID);
    }

    /** The claims SMART backend services prescribes: iss = sub = client_id, aud = token endpoint, exp within 5 minutes, a fresh jti. */
    static JWTClaimsSet.Builder claims(String tokenEndpoint) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(CLIENT).subject(CLIENT).audience(tokenEndpoint)
                .expirationTime(Date.from(now.plusSeconds(240))).issueTime(Date.from(now)).jwtID(UUID.randomUUID().toString());
    }

    static String sign(JWSAlgorithm alg, String kid, JWTClaimsSet claims) throws JOSEException {
        JWSSigner signer = alg.getName().startsWith("ES") ? new ECDSASigner(ec()) : new RSASSASigner(rsa());
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static String rs384(JWTClaimsSet claims) throws JOSEException {
        return sign(JWSAlgorithm.RS384, RS_KID, claims);
    }

    static String es384(JWTClaimsSet claims) throws JOSEException {
        return sign(JWSAlgorithm.ES384, ES_KID, claims);
    }
}
