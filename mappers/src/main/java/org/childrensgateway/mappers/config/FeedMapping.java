package org.childrensgateway.mappers.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One mapping file (feed + file), merged with its feed's {@code feed.yaml} defaults.
 * Plain data read by Jackson; validated by {@link MappingLoader}.
 */
public final class FeedMapping {

    public static final String DEFAULT_IDENTIFIER_TEMPLATE = "https://fhir.childrens-gateway.uk/Id/{feed}/{org}/{kind}";

    public String feed;
    public String file;
    public String version;
    public String description;
    /** {@code csv} or {@code xml}. */
    public String format = "csv";
    /** The record layout in Java that turns fields into resources, e.g. {@code rio-assessments}. */
    public String layout;
    /** {@code inbound}, {@code outbound} or {@code both}. */
    public String direction = "both";
    /** Display name of the source system, used in Provenance. */
    public String sourceSystem;
    /** ODS code of the trust / practice, or the local-authority code, for identifier systems. */
    public String organisation;
    /**
     * Consent-scope code (kind of team, e.g. {@code HV}) -> the organisations (ODS or local-authority
     * codes) that are that team locally. A consent a family gives naming a kind of team then names
     * those organisations, and covers only them (the gateway's consent rule).
     */
    public Map<String, java.util.List<String>> consentRecipients = new LinkedHashMap<>();
    /** kind -> identifier system template with {feed}, {org}, {kind} placeholders. */
    public Map<String, String> identifierSystems = new LinkedHashMap<>();
    public Map<String, FieldSpec> fields = new LinkedHashMap<>();
    public Map<String, GroupSpec> groups = new LinkedHashMap<>();
    /** Layout-specific rules keyed by a target code, e.g. how an assessment's Value is read. */
    public Map<String, FieldSpec> valueRules = new LinkedHashMap<>();

    /** XML only: namespace of the extract, root and record element names, and the root attribute holding the sender's code. */
    public String namespace;
    public String rootElement;
    public String recordElement;
    public String organisationAttribute;

    /** Where the file was loaded from (classpath or disk), for messages. */
    public String origin;

    /** The identifier system for a kind of record, with the organisation filled in. */
    public String identifierSystem(String kind, String org) {
        String template = identifierSystems.getOrDefault(kind, DEFAULT_IDENTIFIER_TEMPLATE);
        return template.replace("{feed}", feed).replace("{org}", org == null ? "unknown" : org).replace("{kind}", kind);
    }

    public String identifierSystem(String kind) {
        return identifierSystem(kind, organisation);
    }

    public boolean inbound() {
        return !"outbound".equals(direction);
    }

    public boolean outbound() {
        return !"inbound".equals(direction);
    }

    /** A URI naming this mapping and its version, recorded in Provenance.policy. */
    public String policyUri() {
        return "https://fhir.childrens-gateway.uk/mapping/" + feed + "/" + file + "|" + version;
    }
}
