package org.childrensgateway.consent;

import java.util.List;

/**
 * The outcome of the consent decision for one resource and one caller.
 *
 * @param effect   permit, permit with elements removed, or deny
 * @param rule     which rule decided (named in explanations and audit)
 * @param detail   a sentence for the explanation; never personal data
 * @param elements for {@link Effect#REDUCE}: the elements released (all others removed), or the
 *                 elements removed when {@code removeListed} is true
 * @param removeListed whether {@code elements} lists what is removed rather than what is kept
 * @param policy   the Consent (e.g. {@code Consent/42}) the decision relied on, for the audit record; else null
 */
public record Decision(Effect effect, String rule, String detail, List<String> elements, boolean removeListed, String policy) {

    public enum Effect { PERMIT, REDUCE, DENY }

    public static Decision permit(String rule, String detail) {
        return new Decision(Effect.PERMIT, rule, detail, List.of(), false, null);
    }

    public static Decision deny(String rule, String detail) {
        return new Decision(Effect.DENY, rule, detail, List.of(), false, null);
    }

    public static Decision keepOnly(String rule, String detail, List<String> elements) {
        return new Decision(Effect.REDUCE, rule, detail, elements, false, null);
    }

    public static Decision remove(String rule, String detail, List<String> elements) {
        return new Decision(Effect.REDUCE, rule, detail, elements, true, null);
    }

    public Decision withPolicy(String reference) {
        return new Decision(effect, rule, detail, elements, removeListed, reference);
    }

    public boolean disclosed() {
        return effect != Effect.DENY;
    }
}
