package org.childrensgateway.identity;

import java.util.List;

/**
 * What the matcher knows about one source record, already normalised. Stored (as JSON) in the
 * person index beside the blocking keys, so comparing a new record with its candidates needs one
 * query and no FHIR parsing. Holds personal data: it lives in the database, never in logs.
 *
 * @param sourceId    id of the source resource (Patient or RelatedPerson)
 * @param source      feed of the source system (rio, systmone, childrens-centre), for survivorship and evidence
 * @param nhs         a valid NHS number, or null
 * @param nhsVerified true when the source says the number was traced and verified (status 01)
 * @param given       normalised given names, including preferred/usual names
 * @param family      family name in {@link Names#family} form
 * @param birthDate   yyyy-MM-dd, or null
 * @param sex         male, female, other, unknown or null
 * @param postcode    compact upper-case postcode, or null
 * @param address     first address line, normalised, or null
 * @param carers      carers' names as "given family" normalised
 * @param phones      carers' telephone numbers, digits only
 * @param system      the source system that holds the record ({@code feed/organisation}), or null when the
 *                    identifiers do not say; two records of one system with different ids are two children
 */
public record PersonFeatures(String sourceId, String source, String nhs, boolean nhsVerified, List<String> given,
                             String family, String birthDate, String sex, String postcode, String address,
                             List<String> carers, List<String> phones, String system) {

    public PersonFeatures {
        given = given == null ? List.of() : List.copyOf(given);
        carers = carers == null ? List.of() : List.copyOf(carers);
        phones = phones == null ? List.of() : List.copyOf(phones);
    }

    PersonFeatures withSourceId(String id) {
        return new PersonFeatures(id, source, nhs, nhsVerified, given, family, birthDate, sex, postcode, address, carers, phones, system);
    }
}
