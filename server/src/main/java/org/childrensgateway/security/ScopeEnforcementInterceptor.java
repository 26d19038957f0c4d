package org.childrensgateway.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.childrensgateway.fhir.FhirInterceptor;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

/**
 * SMART scopes decide which interactions a client may use: {@code c}reate, {@code r}ead (read,
 * vread, instance history, instance operations), {@code u}pdate, {@code d}elete, {@code s}earch
 * (search, type and system history). Transactions are checked entry by entry. Too little scope
 * is a 403 OperationOutcome naming the scope needed.
 */
@Component
@Interceptor
public class ScopeEnforcementInterceptor implements FhirInterceptor {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void checkScopes(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation == RestOperationTypeEnum.METADATA || operation == RestOperationTypeEnum.GET_PAGE) {
            return; // metadata is public; a page belongs to the search its owner was allowed to run
        }
        Caller caller = CallerContext.current().orElseThrow(() -> new AuthenticationException("A bearer token is required"));
        String type = request.getResourceName();
        switch (operation) {
            case TRANSACTION, BATCH -> checkBundle(caller, request);
            case SEARCH_SYSTEM, HISTORY_SYSTEM -> require(caller, "*", 's');
            case EXTENDED_OPERATION_SERVER -> require(caller, "*", 'r');
            case VALIDATE -> requireAny(caller, type);
            default -> require(caller, type, permission(operation));
        }
    }

    static char permission(RestOperationTypeEnum operation) {
        return switch (operation) {
            case CREATE -> 'c';
            case UPDATE, PATCH, META_ADD, META_DELETE -> 'u';
            case DELETE -> 'd';
            case SEARCH_TYPE, HISTORY_TYPE, EXTENDED_OPERATION_TYPE -> 's';
            default -> 'r';
        };
    }

    private static void checkBundle(Caller caller, RequestDetails request) {
        if (!(request.getResource() instanceof Bundle bundle)) {
            return;
        }
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (!entry.hasRequest() || !entry.getRequest().hasMethod()) {
                continue;
            }
            String url = entry.getRequest().getUrl() == null ? "" : entry.getRequest().getUrl();
            String type = entry.hasResource() ? entry.getResource().fhirType() : url.split("[/?]")[0];
            char permission = switch (entry.getRequest().getMethod()) {
                case POST -> 'c';
                case PUT, PATCH -> 'u';
                case DELETE -> 'd';
                default -> url.contains("?") ? 's' : 'r';
            };
            require(caller, type, permission);
            // A conditional update may create: it needs create too.
            if (permission == 'u' && url.contains("?")) {
                require(caller, type, 'c');
            }
        }
    }

    private static void require(Caller caller, String type, char permission) {
        if (!SmartScopes.allows(caller.scopes(), type, permission)) {
            throw new ForbiddenOperationException("The token's scopes do not allow '" + permission + "' on " + type
                    + " (for example system/" + type + "." + permission + " is needed)");
        }
    }

    private static void requireAny(Caller caller, String type) {
        for (char p : "cruds".toCharArray()) {
            if (SmartScopes.allows(caller.scopes(), type, p)) {
                return;
            }
        }
        throw new ForbiddenOperationException("The token has no scope on " + type);
    }
}
