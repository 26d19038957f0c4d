package org.childrensgateway.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FhirBodyCheckTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void ordinaryJsonPasses() {
        assertThat(FhirBodyCheck.json(utf8("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Sm\u00f6th\",\"given\":[\"\ud83d\ude00\"]}],"
                + "\"text\":{\"div\":\"<div>a\\nb\\tc</div>\"}}"))).isNull();
    }

    @Test
    void duplicateKeysAreRefusedNamingTheElement() {
        assertThat(FhirBodyCheck.json(utf8("{\"resourceType\":\"Patient\",\"birthDate\":\"2024-01-01\",\"birthDate\":\"2023-01-01\"}")))
                .contains("Patient.birthDate").contains("twice").doesNotContain("2023");
        assertThat(FhirBodyCheck.json(utf8("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"s\",\"value\":\"9434765919\","
                + "\"value\":\"9434765870\"}]}"))).contains("Patient.identifier[0].value").doesNotContain("943");
    }

    @Test
    void nulControlCharactersAndLoneSurrogatesAreRefusedNamingTheElement() {
        assertThat(FhirBodyCheck.json(utf8("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"a\\u0000b\"}]}")))
                .contains("Patient.name[0].family").contains("NUL");
        assertThat(FhirBodyCheck.json(utf8("{\"resourceType\":\"Patient\",\"name\":[{\"given\":[\"x\",\"\\ud800\"]}]}")))
                .contains("Patient.name[0].given[1]").contains("lone surrogate");
        assertThat(FhirBodyCheck.json(utf8("{\"resourceType\":\"Patient\",\"gender\":\"\\u0007\"}"))).contains("Patient.gender").contains("U+0007");
        assertThat(FhirBodyCheck.json(utf8("{\"resourceType\":\"Patient\",\"gender\":\"a\u0000\"}"))).contains("control character");
    }

    @Test
    void keysTheParserFailsOnOrDropsAreRefusedNamingWhereTheyAre() {
        String[][] rows = {
            // body, expected part of the message (null: passes)
            {"{'resourceType':'Patient','':'x'}", "Patient "},
            {"{'resourceType':'Patient','name':[{'family':'F','':[]}]}", "Patient.name[0] "},
            {"{'resourceType':'Patient','_':{'id':'a'}}", "'_'"},
            {"{'resourceType':'Patient','_resourceType':{'id':'a'}}", "'_resourceType'"},
            {"{'resourceType':'Patient','extension':[{'url':'u','valueString':'v'}],'_extension':{'id':'a'}}", "'_extension'"},
            {"{'resourceType':'Patient','modifierExtension':[],'_modifierExtension':{}}", "'_modifierExtension'"},
            {"{'resourceType':'Patient','fhir_comments':['c']}", "'fhir_comments'"},
            {"{'resourceType':'Patient','name':[{'family':'F','resourceType':'x'}]}", "Patient.name[0] is 'resourceType'"},
            {"{'resourceType':'Patient','_birthDate':{'id':'a'}}", null},
            {"{'resourceType':'Patient','contained':[{'resourceType':'Organization'}]}", null},
            {"{'resourceType':'Bundle','entry':[{'resource':{'resourceType':'Patient'},'response':{'status':'201',"
                + "'outcome':{'resourceType':'OperationOutcome'}}}]}", null},
            {"{'resourceType':'Parameters','parameter':[{'name':'p','resource':{'resourceType':'Patient'}}]}", null},
            {"{'resourceType':'Bundle','entry':[{'resourceType':'Patient'}]}", "Bundle.entry[0] is 'resourceType'"},
            {"{'resourceType':'Patient','name':[{'family':''}]}", "Patient.name[0].family is empty"},
            {"{'resourceType':'Patient','name':[{'given':['Ann','']}]}", "Patient.name[0].given[1] is empty"},
            {"{'resourceType':'Patient','name':[{'family':' '}]}", null},
            {"{'resourceType':'Patient','birthDate':null}", "Patient.birthDate is null"},
            {"{'resourceType':'Patient','name':[{'family':'F','given':[null,'Ann'],'_given':[{'id':'g'},null]}]}", null},
            // A JSON Patch is a list of operations, not a resource: only the empty key is refused there.
            {"[{'op':'add','path':'/contained/-','value':{'resourceType':'Organization','_':{}}}]", null},
            {"[{'op':'add','path':'/x','value':{'':1}}]", "empty"},
            {"[{'op':'replace','path':'','value':{'resourceType':'Patient'}}]", null},
        };
        for (String[] row : rows) {
            String problem = FhirBodyCheck.json(utf8(row[0].replace('\'', '"')));
            if (row[1] == null) {
                assertThat(problem).as(row[0]).isNull();
            } else {
                assertThat(problem).as(row[0]).contains(row[1]);
            }
        }
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] body = utf8("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"abc\"}]}");
        body[body.length - 6] = (byte) 0xff;
        assertThat(FhirBodyCheck.json(body)).contains("UTF-8").contains("Patient.name[0].family");
    }

    @Test
    void xmlWithDoctypeOrBadCharactersIsRefused() {
        assertThat(FhirBodyCheck.xml(utf8("<Patient xmlns=\"http://hl7.org/fhir\"><birthDate value=\"2024-01-01\"/></Patient>"))).isNull();
        assertThat(FhirBodyCheck.xml(utf8("<!DOCTYPE x [<!ENTITY e \"y\">]><Patient xmlns=\"http://hl7.org/fhir\"/>"))).contains("DOCTYPE");
        assertThat(FhirBodyCheck.xml(utf8("<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"\"/></name></Patient>")))
                .contains("Patient.name.family").contains("empty");
        // Woodstox reports a bad entity in text unchecked, only when the text is read (a 500 before).
        assertThat(FhirBodyCheck.xml(utf8("<Patient xmlns=\"http://hl7.org/fhir\"><name>a&/b</name></Patient>")))
                .contains("not well-formed XML").contains("Patient.name");
        // XHTML in a narrative may have empty attributes; only FHIR elements' may not.
        assertThat(FhirBodyCheck.xml(utf8("<Patient xmlns=\"http://hl7.org/fhir\"><text><status value=\"generated\"/>"
                + "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p title=\"\">x</p></div></text></Patient>"))).isNull();
        assertThat(FhirBodyCheck.xml(utf8("<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"a&#0;\"/></Patient>"))).isNotNull();
        byte[] bad = utf8("<Patient xmlns=\"http://hl7.org/fhir\"><gender value=\"abc\"/></Patient>");
        bad[bad.length - 16] = (byte) 0xff;
        assertThat(FhirBodyCheck.xml(bad)).contains("UTF-8");
    }

    @Test
    void strictUtf8() {
        assertThat(FhirBodyCheck.utf8(utf8("{\"a\":\"Sm\u00f6th \ud83d\ude00\"}"))).isNull();
        assertThat(FhirBodyCheck.utf8(new byte[] {'{', (byte) 0xfe, (byte) 0xff, '}'})).contains("at byte 1");
        assertThat(FhirBodyCheck.utf8(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})).as("an encoded surrogate").isNotNull();
    }

    @Test
    void bundleEntriesAreCountedBeforeParsing() {
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Patient\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient\"}},{\"resource\":{\"resourceType\":\"Patient\",\"entry\":[1,2,3]}}]}";
        assertThat(FhirBodyCheck.json(utf8(bundle), 3)).isNull();
        assertThat(FhirBodyCheck.json(utf8(bundle), 2)).startsWith(FhirBodyCheck.TOO_MANY_ENTRIES).contains("2 entries");
        // An "entry" deeper down is not a Bundle entry.
        assertThat(FhirBodyCheck.json(utf8("{\"resourceType\":\"Basic\",\"x\":{\"entry\":[1,2,3]}}"), 1)).isNull();
    }
}
