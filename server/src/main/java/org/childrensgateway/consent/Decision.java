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
 */
public record Decision(Effect effect, String rule, String detail, List<String> elements, boolean removeListed) {

    public enum Effect { PERMIT, REDUCE, DENY }

    public static Decision permit(String rule, String detail) {
        return new Decision(Effect.PERMIT, rule, detail, List.of(), false);
    }

    public static Decision deny(String rule, String detail) {
        return new Decision(Effect.DENY, rule, detail, List.of(), false);
    }

    public static Decision keepOnly(String rule, String detail, List<String> elements) {
        return new Decision(Effect.REDUCE, rule, detail, elements, false);
    }

    public static Decision remove(String rule, String detail, List<String> elements) {
        return new Decision(Effect.REDUCE, rule, detail, elements, true);
    }

    public boolean disclosed() {
        return effect != Effect.DENY;
    }
}
