package org.childrensgateway.identity;

/**
 * One compared element and the weight it added to a match score: the record kept with every link
 * and review task, so a reviewer (or an auditor) sees why two records were joined.
 *
 * @param field  nhs, given, family, birthDate, sex, postcode, address, carers or a rule name
 * @param level  agree, variant, similar, transposed, partial, disagree, missing or rule
 * @param weight log2(m/u) weight added to the score
 */
public record Evidence(String field, String level, double weight) {
}
