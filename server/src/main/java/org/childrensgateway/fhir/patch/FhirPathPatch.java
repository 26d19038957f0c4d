package org.childrensgateway.fhir.patch;

import org.childrensgateway.fhir.LazyFhirPath;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Type;

/**
 * FHIRPath Patch (FHIR R4, a Parameters resource of {@code operation}s): add, insert, delete,
 * replace and move, applied to the resource in place. Paths are evaluated with HAPI's FHIRPath
 * engine, which returns the model's own elements, so the element a path names is found in its
 * parent by identity. Values are {@code value[x]} of any data type; a value given as nested
 * parts (a backbone element) is not supported. A malformed patch is a 400; one whose paths do not
 * fit this resource (no match, several where one is needed, a bad index) a 422.
 */
public final class FhirPathPatch {

    private final IFhirPath fhirPath;

    public FhirPathPatch(FhirContext context) {
        this.fhirPath = new LazyFhirPath(context); // not on the start-up path
    }

    public void apply(Resource resource, Parameters patch) {
        int n = 0;
        for (ParametersParameterComponent operation : patch.getParameter()) {
            if (!"operation".equals(operation.getName())) {
                throw new InvalidRequestException("FHIRPath Patch: parameter " + n + " is '" + operation.getName()
                        + "'; every parameter of a FHIRPath Patch is an 'operation'");
            }
            applyOne(resource, new Operation(operation, n++));
        }
    }

    private void applyOne(Resource resource, Operation op) {
        String type = op.text("type", true);
        String path = op.text("path", true);
        try {
            switch (type) {
                case "add" -> {
                    Base container = single(resource, path, op);
                    setChild(container, op.text("name", true), op.value());
                }
                case "insert" -> {
                    Slot slot = slot(resource, path, op);
                    List<Base> values = slot.values();
                    int index = op.index("index", values.size());
                    values.add(index, op.value());
                    slot.set(values);
                }
                case "delete" -> {
                    List<Base> found = evaluate(resource, path);
                    if (found.size() > 1) {
                        throw new UnprocessableEntityException(op.where() + "'" + path + "' matches " + found.size()
                                + " elements; delete removes one");
                    }
                    if (!found.isEmpty()) { // deleting what is not there changes nothing (FHIRPath Patch)
                        Slot slot = slot(resource, path, op);
                        List<Base> values = slot.values();
                        values.removeIf(v -> v == found.get(0));
                        slot.set(values);
                    }
                }
                case "replace" -> {
                    Base target = single(resource, path, op);
                    Slot slot = slot(resource, path, op);
                    List<Base> values = slot.values();
                    for (int i = 0; i < values.size(); i++) {
                        if (values.get(i) == target) {
                            values.set(i, op.value());
                        }
                    }
                    slot.set(values);
                }
                case "move" -> {
                    Slot slot = slot(resource, path, op);
                    List<Base> values = slot.values();
                    Base moved = values.remove(op.index("source", values.size() - 1));
                    values.add(op.index("destination", values.size()), moved);
                    slot.set(values);
                }
                default -> throw new InvalidRequestException(op.where() + "unknown type '" + type
                        + "' (add, insert, delete, replace, move)");
            }
        } catch (FHIRException | ClassCastException e) {
            throw new UnprocessableEntityException(op.where() + "cannot " + type + " at '" + path + "': " + e.getMessage());
        }
    }

    private List<Base> evaluate(Base on, String path) {
        try {
            return fhirPath.evaluate(on, path, Base.class);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("FHIRPath Patch: '" + path + "' is not a FHIRPath expression this server can evaluate: "
                    + e.getMessage());
        }
    }

    private Base single(Resource resource, String path, Operation op) {
        List<Base> found = evaluate(resource, path);
        if (found.size() != 1) {
            throw new UnprocessableEntityException(op.where() + "'" + path + "' matches " + found.size() + " elements; exactly one is needed");
        }
        return found.get(0);
    }

    /**
     * The named child (all its values) of the one element that holds what {@code path} names:
     * {@code Patient.name.where(use='official').given} is {@code given} of the official name.
     */
    private Slot slot(Resource resource, String path, Operation op) {
        List<String> segments = segments(path);
        int named = segments.size() - 1;
        while (named > 0 && segments.get(named).contains("(")) {
            named--; // where(...), first(), ofType(...): filters of the element before them
        }
        if (named < 1) {
            throw new UnprocessableEntityException(op.where() + "'" + path + "' names no element of the resource");
        }
        String name = segments.get(named).replaceAll("\\[\\d+]$", "");
        List<Base> targets = evaluate(resource, path);
        List<Base> containers = evaluate(resource, String.join(".", segments.subList(0, named)));
        Map<Base, Boolean> wanted = new IdentityHashMap<>();
        targets.forEach(t -> wanted.put(t, true));
        Base holder = null;
        for (Base container : containers) {
            boolean holds = container.listChildrenByName(name).stream().anyMatch(wanted::containsKey);
            if (holds || (targets.isEmpty() && containers.size() == 1)) {
                if (holder != null && holder != container) {
                    throw new UnprocessableEntityException(op.where() + "'" + path + "' is in more than one element");
                }
                holder = container;
            }
        }
        if (holder == null) {
            throw new UnprocessableEntityException(op.where() + "'" + path + "' matches nothing in the resource");
        }
        return new Slot(holder, name);
    }

    /** Sets a single child or adds to a list; a choice element ({@code value}) is set as {@code value[x]}. */
    static void setChild(Base holder, String name, Base value) {
        try {
            holder.setProperty(name, value);
        } catch (FHIRException e) {
            holder.setProperty(name + "[x]", value);
        }
    }

    /** Splits a FHIRPath at the dots outside brackets and quotes. */
    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\'' && (i == 0 || path.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && (c == '(' || c == '[')) {
                depth++;
            } else if (!quoted && (c == ')' || c == ']')) {
                depth--;
            } else if (!quoted && depth == 0 && c == '.') {
                out.add(current.toString().trim());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        out.add(current.toString().trim());
        return out;
    }

    /** One child of one element, read and written whole (a list, or a single value). */
    private record Slot(Base holder, String name) {
        List<Base> values() {
            return new ArrayList<>(holder.listChildrenByName(name));
        }

        void set(List<Base> values) {
            Base[] current = holder.getProperty(name.hashCode(), name, false);
            if (current != null) {
                for (Base value : current) {
                    holder.removeChild(name, value);
                }
            }
            for (Base value : values) {
                setChild(holder, name, value);
            }
        }
    }

    /** One {@code operation} parameter and its parts. */
    private record Operation(ParametersParameterComponent parameter, int n) {
        String where() {
            return "FHIRPath Patch operation " + n + ": ";
        }

        ParametersParameterComponent part(String name) {
            return parameter.getPart().stream().filter(p -> name.equals(p.getName())).findFirst().orElse(null);
        }

        String text(String name, boolean required) {
            ParametersParameterComponent part = part(name);
            if (part == null || !part.hasValue() || !part.getValue().isPrimitive()) {
                if (required) {
                    throw new InvalidRequestException(where() + "needs '" + name + "'");
                }
                return null;
            }
            return part.getValue().primitiveValue();
        }

        Type value() {
            ParametersParameterComponent part = part("value");
            if (part == null) {
                throw new InvalidRequestException(where() + "needs a 'value'");
            }
            if (!part.hasValue()) {
                throw new InvalidRequestException(where() + "a value given as parts (a backbone element) is not supported; "
                        + "give value[x] of a data type");
            }
            return part.getValue().copy();
        }

        int index(String name, int max) {
            ParametersParameterComponent part = part(name);
            if (part == null || !(part.getValue() instanceof IntegerType i) || i.getValue() == null) {
                throw new InvalidRequestException(where() + "needs '" + name + "' (valueInteger)");
            }
            if (i.getValue() < 0 || i.getValue() > max) {
                throw new UnprocessableEntityException(where() + name + " " + i.getValue() + " is outside 0.." + max);
            }
            return i.getValue();
        }
    }
}
