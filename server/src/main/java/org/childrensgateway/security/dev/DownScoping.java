package org.childrensgateway.security.dev;

import static org.childrensgateway.security.dev.ClientAssertionConverter.error;

import java.util.Set;
import java.util.function.Consumer;
import org.childrensgateway.security.SmartScopes;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;

/**
 * A client may ask for any part of the scopes it is registered for ({@code system/Patient.rs} when
 * registered for {@code system/*.cruds}, in SMART v2 or v1 form); the token then carries exactly
 * what it asked for, and the gateway enforces that. Spring Authorization Server's own check allows
 * only scopes registered word for word. A scope beyond the registration is {@code invalid_scope};
 * no scope at all is {@code invalid_request} (SMART backend services requires one).
 */
final class DownScoping implements Consumer<OAuth2ClientCredentialsAuthenticationContext> {

    @Override
    public void accept(OAuth2ClientCredentialsAuthenticationContext context) {
        Set<String> requested = ((OAuth2ClientCredentialsAuthenticationToken) context.getAuthentication()).getScopes();
        if (requested.isEmpty()) {
            throw error(OAuth2ErrorCodes.INVALID_REQUEST, "scope is required (for example system/Patient.rs)");
        }
        Set<String> registered = context.getRegisteredClient().getScopes();
        for (String scope : requested) {
            if (!SmartScopes.covers(registered, scope)) {
                throw error(OAuth2ErrorCodes.INVALID_SCOPE, "scope " + scope + " is not within the client's registration");
            }
        }
    }
}
