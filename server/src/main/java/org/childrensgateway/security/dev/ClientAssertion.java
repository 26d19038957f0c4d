package org.childrensgateway.security.dev;

/**
 * A SMART backend-services client assertion as received, with the token endpoint URL the client
 * was told about (its {@code aud} must name exactly that).
 */
record ClientAssertion(String jwt, String tokenEndpoint) {

    @Override
    public String toString() {
        return "ClientAssertion[" + tokenEndpoint + "]"; // never the assertion itself
    }
}
