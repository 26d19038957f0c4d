package org.childrensgateway.mappers.build;

import java.util.List;
import java.util.Optional;

import org.childrensgateway.mappers.Issue;
import org.childrensgateway.mappers.codes.CodeTranslator;
import org.childrensgateway.mappers.config.FeedMapping;
import org.childrensgateway.mappers.config.FieldSpec;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;

/** What an outbound layout may use: the mapping (for code maps and systems), the translator and an issue list. */
public final class OutContext {
    private final FeedMapping mapping;
    private final CodeTranslator translator;
    private final List<Issue> issues;

    public OutContext(FeedMapping mapping, CodeTranslator translator, List<Issue> issues) {
        this.mapping = mapping;
        this.translator = translator;
        this.issues = issues;
    }

    public FeedMapping mapping() {
        return mapping;
    }

    public CodeTranslator translator() {
        return translator;
    }

    public List<Issue> issues() {
        return issues;
    }

    public FieldSpec spec(String field) {
        return mapping.fields.get(field);
    }

    /** The value of the first identifier whose system matches a kind's template (any organisation). */
    public static Optional<String> identifier(List<Identifier> ids, String systemPrefix, String kind) {
        return ids.stream().filter(i -> i.getSystem() != null && i.getSystem().startsWith(systemPrefix)
                && i.getSystem().endsWith("/" + kind)).map(Identifier::getValue).findFirst();
    }

    public static Optional<Coding> coding(CodeableConcept cc, String system) {
        return cc == null ? Optional.empty()
                : cc.getCoding().stream().filter(c -> system.equals(c.getSystem())).findFirst();
    }
}
