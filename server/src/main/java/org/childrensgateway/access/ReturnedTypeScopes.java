package org.childrensgateway.access;

import java.util.Collection;
import org.childrensgateway.security.SmartScopes;

/**
 * SMART scopes apply to what a response carries, not only to the interaction asked for: a
 * {@code system/Patient.rs} token asking for {@code $everything} or {@code _revinclude} receives
 * no Observation. A resource may be returned when the scopes allow reading or searching its type.
 */
public final class ReturnedTypeScopes {

    private ReturnedTypeScopes() {
    }

    public static boolean mayReceive(Collection<String> scopes, String resourceType) {
        return scopes != null && (SmartScopes.allows(scopes, resourceType, 'r') || SmartScopes.allows(scopes, resourceType, 's'));
    }
}
