package org.childrensgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.childrensgateway.GatewayTestBase;
import org.childrensgateway.fhir.FhirFixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Done-when of issue 15: a client built only from stock libraries, knowing nothing but the FHIR
 * base URL, its client_id and its private key. HAPI's generic client reads the CapabilityStatement
 * (SMART security service), the SMART discovery document at the FHIR base gives the token endpoint,
 * the Nimbus OAuth 2.0 SDK makes the standard backend-services token request (private_key_jwt, no
 * client_id parameter), and HAPI's generic client with its bearer-token interceptor reads data.
 */
class StockSmartClientTest extends GatewayTestBase {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"RS384", "ES384"})
    void discoveryThenTokenThenFhirRequest(String algorithm) throws Exception {
        String nhs = FhirFixtures.nhsNumber();
        createAs(TEST_CLIENT, "Patient", FhirFixtures.patient(FhirFixtures.uniqueId("STOCK"), nhs, "Stock", "Client", "2024-02-02",
                "female", "NP4 6AB"));

        FhirContext ctx = FhirContext.forR4Cached();
        String fhirBase = baseUrl();
        IGenericClient anonymous = ctx.newRestfulGenericClient(fhirBase);
        CapabilityStatement cs = anonymous.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(cs.getRestFirstRep().getSecurity().getServiceFirstRep().getCodingFirstRep().getCode()).isEqualTo("SMART-on-FHIR");
        // The software is the gateway, at its own version, not the HAPI library it is built on.
        assertThat(cs.getSoftware().getName()).isEqualTo("childrens-gateway");
        assertThat(cs.getSoftware().getVersion()).isNotBlank().isNotEqualTo(ca.uhn.fhir.util.VersionUtil.getVersion());

        HttpResponse<String> discovery = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(fhirBase + "/.well-known/smart-configuration")).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(discovery.statusCode()).isEqualTo(200);
        Map<String, Object> smart = JSONObjectUtils.parse(discovery.body());
        URI tokenEndpoint = URI.create((String) smart.get("token_endpoint"));
        assertThat(JSONObjectUtils.getStringList(smart, "token_endpoint_auth_signing_alg_values_supported")).contains(algorithm);

        PrivateKeyJWT assertion = algorithm.equals("RS384")
                ? new PrivateKeyJWT(new ClientID(BackendClientKeys.CLIENT), tokenEndpoint, JWSAlgorithm.RS384,
                        BackendClientKeys.rsa().toRSAPrivateKey(), BackendClientKeys.RS_KID, null)
                : new PrivateKeyJWT(new ClientID(BackendClientKeys.CLIENT), tokenEndpoint, JWSAlgorithm.ES384,
                        BackendClientKeys.ec().toECPrivateKey(), BackendClientKeys.ES_KID, null);
        TokenRequest request = new TokenRequest(tokenEndpoint, assertion, new ClientCredentialsGrant(), new Scope("system/Patient.rs"));
        assertThat(request.toHTTPRequest().getBodyAsFormParameters()).doesNotContainKey("client_id");
        HTTPResponse http = request.toHTTPRequest().send();
        TokenResponse token = TokenResponse.parse(http);
        assertThat(token.indicatesSuccess()).as(http.getBody()).isTrue();
        String accessToken = token.toSuccessResponse().getTokens().getAccessToken().getValue();

        IGenericClient client = ctx.newRestfulGenericClient(fhirBase);
        client.registerInterceptor(new BearerTokenAuthInterceptor(accessToken));
        Bundle found = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndIdentifier("https://fhir.nhs.uk/Id/nhs-number", nhs))
                .returnBundle(Bundle.class).execute();
        // The record the suite's client (same organisation) wrote, and the child record the gateway composed from it.
        assertThat(found.getEntry()).isNotEmpty().allSatisfy(e -> assertThat(((Patient) e.getResource()).getNameFirstRep().getFamily())
                .isEqualTo("Stock"));
    }

    @Test
    void withoutTheTokenTheSameStockRequestIsRefused() {
        IGenericClient client = FhirContext.forR4Cached().newRestfulGenericClient(baseUrl());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.search().forResource(Patient.class).returnBundle(Bundle.class).execute())
                .isInstanceOf(AuthenticationException.class);
    }
}
