package org.childrensgateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBase;

/**
 * HAPI's FHIRPath engine, built on first use. Building one loads every core StructureDefinition
 * (seconds), which would otherwise sit on the start-up path of each bean that evaluates FHIRPath;
 * the validator warm-up loads them in the background once the gateway is up
 * ({@code validation.ValidatorWarmUp}), so the first evaluation normally finds them loaded.
 */
public final class LazyFhirPath implements IFhirPath {

    private final FhirContext context;
    private volatile IFhirPath engine;

    public LazyFhirPath(FhirContext context) {
        this.context = context;
    }

    private IFhirPath engine() {
        IFhirPath e = engine;
        if (e == null) {
            synchronized (this) {
                e = engine;
                if (e == null) {
                    e = context.newFhirPath();
                    engine = e;
                }
            }
        }
        return e;
    }

    @Override
    public <T extends IBase> List<T> evaluate(IBase input, String path, Class<T> returnType) {
        return engine().evaluate(input, path, returnType);
    }

    @Override
    public <T extends IBase> List<T> evaluate(IBase input, IParsedExpression parsed, Class<T> returnType) {
        return engine().evaluate(input, parsed, returnType);
    }

    @Override
    public <T extends IBase> Optional<T> evaluateFirst(IBase input, String path, Class<T> returnType) {
        return engine().evaluateFirst(input, path, returnType);
    }

    @Override
    public <T extends IBase> Optional<T> evaluateFirst(IBase input, IParsedExpression parsed, Class<T> returnType) {
        return engine().evaluateFirst(input, parsed, returnType);
    }

    @Override
    public IParsedExpression parse(String expression) throws Exception {
        return engine().parse(expression);
    }

    @Override
    public void setEvaluationContext(ca.uhn.fhir.fhirpath.IFhirPathEvaluationContext evaluationContext) {
        engine().setEvaluationContext(evaluationContext);
    }
}
