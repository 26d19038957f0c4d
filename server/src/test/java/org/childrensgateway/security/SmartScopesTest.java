package org.childrensgateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.childrensgateway.access.ReturnedTypeScopes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SMART scopes as a table: which interactions a set of scopes allows, and which types a response may carry. */
class SmartScopesTest {

    @ParameterizedTest(name = "{0} on {1}.{2} -> {3}")
    @CsvSource({
            "system/*.cruds, Observation, c, true",
            "system/*.rs, Observation, c, false",
            "system/*.rs, Observation, s, true",
            "system/Patient.rs, Observation, r, false",
            "system/Patient.rs, Patient, r, true",
            "system/Patient.read, Patient, s, true",
            "system/Patient.write, Patient, u, true",
            "system/Patient.write, Patient, r, false",
            "user/Observation.*, Observation, d, true",
            "patient/Observation.rs?category=vital-signs, Observation, r, true",
            "launch/Patient.rs, Patient, r, false",
            "system/Patient.xyz, Patient, r, false",
            "garbage, Patient, r, false"})
    void allows(String scope, String type, char permission, boolean allowed) {
        assertThat(SmartScopes.allows(Set.of(scope), type, permission)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} may receive {1}: {2}")
    @CsvSource({
            "system/Patient.rs, Patient, true",
            "system/Patient.rs, Observation, false",
            "system/Patient.c, Patient, false",
            "system/*.s, CarePlan, true"})
    void returnedTypes(String scope, String type, boolean allowed) {
        assertThat(ReturnedTypeScopes.mayReceive(Set.of(scope), type)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} grants one of {1}: {2}")
    @CsvSource({
            "system/*.rs, cu, false",
            "system/Patient.c, cu, true",
            "system/*.cruds, rs, true",
            "user/Observation.write, cu, true",
            "launch/*.cruds, cu, false"})
    void grantsAny(String scope, String letters, boolean granted) {
        assertThat(SmartScopes.grantsAny(Set.of(scope), letters)).isEqualTo(granted);
    }

    @ParameterizedTest(name = "registered [{0}] covers {1}: {2}")
    @CsvSource(delimiter = ';', value = {
            "system/*.cruds; system/Patient.rs; true",
            "system/*.cruds; system/*.rs; true",
            "system/*.cruds; system/Patient.read; true",
            "system/*.cruds; system/*.write; true",
            "system/*.rs; system/Patient.read; true",
            "system/*.rs; system/Patient.r; true",
            "system/*.rs; system/Patient.c; false",
            "system/*.rs; system/*.cruds; false",
            "system/Patient.cruds; system/Patient.rs; true",
            "system/Patient.cruds; system/*.rs; false",
            "system/Patient.cruds; system/Observation.rs; false",
            "system/Patient.cruds system/Observation.rs; system/Observation.s; true",
            "system/Patient.read; system/Patient.rs; true",
            "system/Patient.rs; system/Patient.read; true",
            "system/Patient.rs; system/Patient.*; false",
            "system/*.cruds; user/Patient.rs; false",
            "system/*.cruds; patient/*.rs; false",
            "system/*.cruds; system/Patient.rs?identifier=x; false",
            "system/Patient.rs?identifier=x; system/Patient.rs?identifier=x; true",
            "system/Patient.rs?identifier=x; system/Patient.rs; false",
            "system/*.cruds; system/Patient.sr; false",
            "system/*.cruds; system/Patient.; false",
            "system/*.cruds; system/.rs; false",
            "system/*.cruds; system/patient.rs; false",
            "system/*.cruds; openid; false",
            "openid; openid; true"})
    void covers(String registered, String requested, boolean covered) {
        assertThat(SmartScopes.covers(Set.of(registered.split(" ")), requested)).isEqualTo(covered);
    }
}
