package org.childrensgateway.search;

import org.childrensgateway.fhir.LazyFhirPath;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.childrensgateway.store.IndexRows;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;

/**
 * Extracts the index rows for every supported search parameter of a resource: by walking the
 * model for expressions that are plain paths ({@link PlainPath}, nearly all of them), by FHIRPath
 * for the rest (unions). The FHIRPath engine was about 2% of the transaction ingest's CPU.
 */
public final class SearchIndexer {

    private final SearchParamRegistry registry;
    private final IFhirPath fhirPath;
    private final Map<String, IFhirPath.IParsedExpression> parsed = new ConcurrentHashMap<>();
    /** Plain-path form of each expression that has one; an expression mapped to empty goes to FHIRPath. */
    private final Map<String, Optional<PlainPath>> plain = new ConcurrentHashMap<>();
    private final boolean plainPaths;

    public SearchIndexer(FhirContext context, SearchParamRegistry registry) {
        this(context, registry, true);
    }

    /** {@code plainPaths} false: every expression by FHIRPath (the oracle of PlainPathTest). */
    SearchIndexer(FhirContext context, SearchParamRegistry registry, boolean plainPaths) {
        this.registry = registry;
        this.fhirPath = new LazyFhirPath(context); // not on the start-up path
        this.plainPaths = plainPaths;
    }

    public IndexRows index(IBaseResource resource) {
        IndexRows rows = new IndexRows();
        String type = resource.fhirType();
        for (SearchParamDefinition param : registry.forType(type)) {
            for (IBase value : evaluate(resource, param.expression())) {
                add(rows, param, value);
            }
        }
        return rows;
    }

    /** The local references one reference parameter indexes for the resource. */
    public List<IndexRows.Ref> references(IBaseResource resource, SearchParamDefinition param) {
        IndexRows rows = new IndexRows();
        for (IBase value : evaluate(resource, param.expression())) {
            reference(rows, param, value);
        }
        return rows.references;
    }

    private List<IBase> evaluate(IBaseResource resource, String expression) {
        if (plainPaths) {
            Optional<PlainPath> path = plain.computeIfAbsent(expression, PlainPath::of);
            if (path.isPresent()) {
                return path.get().evaluate(resource);
            }
        }
        IFhirPath.IParsedExpression expr = parsed.computeIfAbsent(expression, e -> {
            try {
                return fhirPath.parse(e);
            } catch (Exception ex) {
                throw new IllegalStateException("Bad search parameter expression " + e, ex);
            }
        });
        return fhirPath.evaluate(resource, expr, IBase.class);
    }

    private void add(IndexRows rows, SearchParamDefinition param, IBase value) {
        String name = param.name();
        switch (param.type()) {
            case TOKEN -> tokens(rows, name, value);
            case STRING -> strings(rows, param, value);
            case DATE -> dates(rows, name, value);
            case REFERENCE -> reference(rows, param, value);
        }
    }

    private static void tokens(IndexRows rows, String name, IBase value) {
        if (value instanceof Identifier id && id.hasValue()) {
            rows.tokens.add(new IndexRows.Token(name, id.getSystem(), id.getValue()));
        } else if (value instanceof CodeableConcept cc) {
            cc.getCoding().forEach(c -> tokens(rows, name, c));
        } else if (value instanceof Coding c && c.hasCode()) {
            rows.tokens.add(new IndexRows.Token(name, c.getSystem(), c.getCode()));
        } else if (value instanceof ContactPoint cp && cp.hasValue()) {
            rows.tokens.add(new IndexRows.Token(name, cp.hasSystem() ? cp.getSystem().toCode() : null, cp.getValue()));
        } else if (value instanceof Enumeration<?> e && e.hasValue()) {
            // A code's system is implicit (gender, status): index it so that system|code finds it too.
            rows.tokens.add(new IndexRows.Token(name, e.getSystem(), e.getValueAsString()));
        } else if (value instanceof PrimitiveType<?> p && p.hasValue()) {
            rows.tokens.add(new IndexRows.Token(name, null, p.getValueAsString()));
        }
    }

    private static void strings(IndexRows rows, SearchParamDefinition param, IBase value) {
        if (value instanceof HumanName n) {
            n.getGiven().forEach(g -> string(rows, param, g.getValue()));
            string(rows, param, n.getFamily());
            string(rows, param, n.getText());
            n.getPrefix().forEach(p -> string(rows, param, p.getValue()));
        } else if (value instanceof Address a) {
            a.getLine().forEach(l -> string(rows, param, l.getValue()));
            string(rows, param, a.getCity());
            string(rows, param, a.getDistrict());
            string(rows, param, a.getPostalCode());
            string(rows, param, a.getText());
        } else if (value instanceof PrimitiveType<?> p) {
            string(rows, param, p.getValueAsString());
        }
    }

    private static void string(IndexRows rows, SearchParamDefinition param, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        String normalised = param.compactsWhitespace() ? TextNormaliser.compact(value) : TextNormaliser.normalise(value);
        rows.strings.add(new IndexRows.Str(param.name(), normalised, TextNormaliser.truncate(value)));
    }

    private static void dates(IndexRows rows, String name, IBase value) {
        if (value instanceof BaseDateTimeType dt && dt.getValue() != null) {
            DateRanges.Range r = DateRanges.of(dt);
            rows.dates.add(new IndexRows.DateRange(name, r.low(), r.high()));
        } else if (value instanceof Period p && (p.hasStart() || p.hasEnd())) {
            var low = p.hasStart() ? DateRanges.of(p.getStartElement()).low() : DateRanges.FAR_PAST;
            var high = p.hasEnd() ? DateRanges.of(p.getEndElement()).high() : DateRanges.FAR_FUTURE;
            rows.dates.add(new IndexRows.DateRange(name, low, high));
        }
    }

    private static void reference(IndexRows rows, SearchParamDefinition param, IBase value) {
        if (!(value instanceof Reference ref) || !ref.hasReference()) {
            return;
        }
        IdType id = new IdType(ref.getReference());
        // Absolute references point at other servers and are not searchable here; ours are relative.
        if (!id.hasResourceType() || !id.hasIdPart() || id.isAbsolute()) {
            return;
        }
        if (!param.targetTypes().isEmpty() && !param.targetTypes().contains(id.getResourceType())) {
            return;
        }
        if (ReferenceAlias.of(param.resourceType(), param.name()).isPresent()) {
            return; // answered from the rows it repeats
        }
        rows.references.add(new IndexRows.Ref(param.name(), id.getResourceType(), id.getIdPart()));
    }

}
