package org.childrensgateway.mappers;

/**
 * One part of a source record that could not be mapped (e.g. one SystmOne event with an unmapped
 * code), quarantined on its own while the rest of the record (identity, consents, other events) is
 * stored. Replaying the record stores the part once its mapping is fixed; the rest is unchanged.
 *
 * @param location where in the record, e.g. {@code Event[@id='E-1']}
 * @param reason   the part's error issues; no personal data
 */
public record PartFault(String location, String reason) {
}
