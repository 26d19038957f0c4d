package org.childrensgateway.search;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.childrensgateway.store.SearchQuery;

/**
 * Parses FHIR search URL parameters against the {@link SearchParamRegistry}. Unknown parameters
 * are an error (strict, the default) or ignored when the client sends {@code Prefer: handling=lenient}.
 */
public final class SearchRequestParser {

    /** Parameters the HAPI server framework handles itself (paging, formatting, summaries). */
    private static final Set<String> FRAMEWORK = Set.of("_count", "_format", "_pretty", "_summary", "_elements",
            "_elements:exclude", "_getpages", "_getpagesoffset", "_bundletype", "_total",
            // consent explanations for auditors, handled by the FHIR service
            "_explain", "_explainFor");
    private static final Set<String> SORTABLE_SPECIAL = Set.of("_lastUpdated");

    private final SearchParamRegistry registry;
    /** This server's FHIR base URL for the request being served (e.g. {@code https://host/fhir}), if known. */
    private final Supplier<Optional<String>> localBase;

    public SearchRequestParser(SearchParamRegistry registry) {
        this(registry, Optional::empty);
    }

    public SearchRequestParser(SearchParamRegistry registry, Supplier<Optional<String>> localBase) {
        this.registry = registry;
        this.localBase = localBase;
    }

    public ParsedSearch parse(String resourceType, Map<String, String[]> parameters, boolean lenient) {
        List<SearchQuery.Clause> clauses = new ArrayList<>();
        List<SearchQuery.Sort> sort = new ArrayList<>();
        List<IncludeSpec> includes = new ArrayList<>();
        boolean countOnly = false;
        ParsedSearch.Total total = ParsedSearch.Total.ACCURATE;
        for (Map.Entry<String, String[]> entry : parameters.entrySet()) {
            String key = entry.getKey();
            String[] values = entry.getValue();
            if (key.equals("_summary")) {
                countOnly = Arrays.asList(values).contains("count");
                continue;
            }
            if (key.equals("_total")) {
                total = total(values);
                continue;
            }
            if (FRAMEWORK.contains(key)) {
                continue;
            }
            for (String value : values) {
                switch (key) {
                    case "_sort" -> sort.addAll(sort(resourceType, value));
                    case "_include", "_include:iterate" -> includes.add(include(resourceType, value, false, lenient));
                    case "_revinclude", "_revinclude:iterate" -> includes.add(include(resourceType, value, true, lenient));
                    default -> {
                        SearchQuery.Clause clause = clause(resourceType, key, value, lenient);
                        if (clause != null) {
                            clauses.add(clause);
                        }
                    }
                }
            }
        }
        includes.removeIf(java.util.Objects::isNull);
        return new ParsedSearch(new SearchQuery(resourceType, clauses, sort), includes, countOnly, total);
    }

    /** {@code _total}: one of FHIR's three values; anything else is refused rather than guessed at. */
    private static ParsedSearch.Total total(String[] values) {
        if (values.length != 1) {
            throw new InvalidRequestException("_total must be given once: none, estimate or accurate");
        }
        return switch (values[0]) {
            case "accurate" -> ParsedSearch.Total.ACCURATE;
            case "none", "estimate" -> ParsedSearch.Total.NONE;
            default -> throw new InvalidRequestException("Invalid _total: expected none, estimate or accurate");
        };
    }

    private SearchQuery.Clause clause(String resourceType, String key, String value, boolean lenient) {
        if (value == null || value.isEmpty()) {
            return null; // FHIR: an empty parameter value is ignored
        }
        List<String> values = splitOr(value);
        // The chain splits first: in subject:Patient.identifier the modifier is "Patient", not "Patient.identifier".
        int chainDot = key.indexOf('.');
        String head = chainDot > 0 ? key.substring(0, chainDot) : key;
        NameAndModifier parameter = NameAndModifier.of(head);
        String name = parameter.name();
        String modifier = parameter.modifier();
        if (chainDot > 0) {
            return chain(resourceType, name, modifier, key.substring(chainDot + 1), values, lenient, key);
        }
        if (name.equals("_id")) {
            return new SearchQuery.Clause(null, SearchQuery.Special.ID, null, values);
        }
        if (name.equals("_lastUpdated")) {
            return new SearchQuery.Clause(null, SearchQuery.Special.LAST_UPDATED, null, values);
        }
        SearchParamDefinition param = registry.find(resourceType, name).orElse(null);
        if (param == null) {
            return unknown(resourceType, key, lenient);
        }
        if (param.type() == SearchParamType.REFERENCE) {
            values = values.stream().map(this::localReference).toList();
        }
        if (modifier != null && param.type() == SearchParamType.REFERENCE && Character.isUpperCase(modifier.charAt(0))) {
            // subject:Patient=123 is a typed reference
            String typed = modifier;
            values = values.stream().map(v -> v.contains("/") ? v : typed + "/" + v).toList();
            modifier = null;
        }
        return new SearchQuery.Clause(param, null, modifier, values);
    }

    /**
     * A reference value in this server's own absolute form ({@code https://host/fhir/Patient/1}) is
     * the local {@code Patient/1}; another server's absolute URL stays absolute and matches nothing
     * here, since only local references are indexed (its {@code Patient/1} is not ours).
     */
    private String localReference(String value) {
        if (!value.contains("://")) {
            return value;
        }
        Optional<String> base = localBase.get();
        if (base.isPresent()) {
            String prefix = base.get().endsWith("/") ? base.get() : base.get() + "/";
            if (value.startsWith(prefix) && value.length() > prefix.length()) {
                return value.substring(prefix.length());
            }
        }
        return value;
    }

    /**
     * {@code patient.identifier=…}, {@code subject:Patient.identifier=…}, {@code patient.family:exact=…}.
     * An untyped chain searches every type the reference may point at that has the chained
     * parameter (FHIR: "the server searches all the types"); it is unknown if none has it.
     */
    private SearchQuery.Clause chain(String resourceType, String refName, String typeModifier, String chained,
                                     List<String> values, boolean lenient, String key) {
        SearchParamDefinition ref = registry.find(resourceType, refName).orElse(null);
        if (ref == null || ref.type() != SearchParamType.REFERENCE) {
            return unknown(resourceType, key, lenient);
        }
        if (chained.contains(".")) {
            throw new InvalidRequestException("Chains of more than one level ('" + key + "') are not supported");
        }
        // A modifier after the chain (patient.family:exact) applies to the chained parameter.
        NameAndModifier chainedParameter = NameAndModifier.of(chained);
        String chainedName = chainedParameter.name();
        String modifier = chainedParameter.modifier();
        if ("missing".equals(modifier)) {
            throw new InvalidRequestException("':missing' is not supported after a chain ('" + key + "'); use "
                    + refName + ":missing");
        }
        if (typeModifier != null && !ref.targetTypes().isEmpty() && !ref.targetTypes().contains(typeModifier)) {
            throw new InvalidRequestException("'" + refName + "' of " + resourceType + " cannot refer to " + typeModifier
                    + " (it refers to " + String.join(", ", new java.util.TreeSet<>(ref.targetTypes())) + ")");
        }
        List<String> candidates = typeModifier != null ? List.of(typeModifier)
                : ref.targetTypes().isEmpty() ? List.copyOf(registry.types()) : List.copyOf(new java.util.TreeSet<>(ref.targetTypes()));
        List<SearchParamDefinition> targets = new ArrayList<>();
        for (String targetType : candidates) {
            registry.find(targetType, chainedName).ifPresent(targets::add);
        }
        if (targets.isEmpty()) {
            return unknown(resourceType, key, lenient);
        }
        return new SearchQuery.Clause(ref, null, modifier, values, targets);
    }

    private SearchQuery.Clause unknown(String resourceType, String key, boolean lenient) {
        if (lenient) {
            return null;
        }
        List<String> known = registry.forType(resourceType).stream().map(SearchParamDefinition::name).toList();
        throw new InvalidRequestException("Unknown search parameter '" + key + "' for resource type " + resourceType
                + ". Supported: _id, _lastUpdated, " + String.join(", ", known)
                + ". Send 'Prefer: handling=lenient' to have unknown parameters ignored.");
    }

    private List<SearchQuery.Sort> sort(String resourceType, String value) {
        List<SearchQuery.Sort> sorts = new ArrayList<>();
        for (String part : value.split(",")) {
            boolean descending = part.startsWith("-");
            String name = descending ? part.substring(1) : part;
            if (SORTABLE_SPECIAL.contains(name)) {
                sorts.add(new SearchQuery.Sort(null, descending));
                continue;
            }
            SearchParamDefinition param = registry.find(resourceType, name)
                    .orElseThrow(() -> new InvalidRequestException("Cannot sort " + resourceType + " by unknown parameter '" + name + "'"));
            sorts.add(new SearchQuery.Sort(param, descending));
        }
        return sorts;
    }

    private IncludeSpec include(String resourceType, String value, boolean reverse, boolean lenient) {
        String[] parts = value.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new InvalidRequestException("Invalid " + (reverse ? "_revinclude" : "_include") + " '" + value
                    + "': expected SourceType:parameter[:TargetType]");
        }
        String source = parts[0];
        if (!reverse && !source.equals(resourceType)) {
            throw new InvalidRequestException("_include '" + value + "' must start with the searched type " + resourceType);
        }
        SearchParamDefinition param = registry.find(source, parts[1]).orElse(null);
        if (param == null || param.type() != SearchParamType.REFERENCE) {
            if (lenient) {
                return null;
            }
            throw new InvalidRequestException("'" + parts[1] + "' is not a reference search parameter of " + source);
        }
        return new IncludeSpec(reverse, source, parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** Splits on commas that are not escaped with a backslash (FHIR search OR syntax). */
    static List<String> splitOr(String value) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                current.append(value.charAt(++i));
            } else if (c == ',') {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }

    /** {@code family:exact} as its name and modifier (null when there is none). */
    private record NameAndModifier(String name, String modifier) {
        static NameAndModifier of(String key) {
            int colon = key.indexOf(':');
            return colon > 0 ? new NameAndModifier(key.substring(0, colon), key.substring(colon + 1)) : new NameAndModifier(key, null);
        }
    }
}
