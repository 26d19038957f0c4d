package org.childrensgateway.mappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A RiO site that renames two columns and adds three local item codes is onboarded with files only. */
class VariantSiteTest {

    static final Path VARIANT = Path.of("src/test/resources/variant-site");

    static List<MappedRecord> read(MappingRegistry registry, Path csv) throws IOException {
        List<MappedRecord> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(csv); RecordStream s = registry.reader("rio-west", "assessments").open(in)) {
            s.forEach(out::add);
        }
        return out;
    }

    @Test
    void variantSiteIsOnboardedByConfigurationAlone() throws IOException {
        assertThat(Samples.REGISTRY.feeds()).doesNotContain("rio-west");
        MappingRegistry registry = MappingRegistry.builtIn().withOverrides(VARIANT);
        assertThat(registry.feeds()).contains("rio", "rio-west", "systmone", "childrens-centre");
        List<MappedRecord> records = read(registry, VARIANT.resolve("variant-assessments.csv"));
        assertThat(records).hasSize(5);
        assertThat(records.subList(0, 4)).noneMatch(MappedRecord::isQuarantined);
        List<String> codes = records.subList(0, 4).stream()
                .map(r -> ((Observation) r.resources().get(0)).getCode().getCodingFirstRep().getCode()).toList();
        assertThat(codes).containsExactly("39156-5", "8867-4", "8310-5", "27113001");
        Observation bmi = (Observation) records.get(0).resources().get(0);
        assertThat(bmi.getSubject().getReference()).isEqualTo("Patient?identifier=https://fhir.childrens-gateway.uk/Id/rio-west/RYW/client|W2000001");
        assertThat(records.get(0).mappingVersion()).isEqualTo("1.1.0");
        // a code the site has not mapped is still reported, not guessed
        assertThat(records.get(4).issues()).extracting(Issue::code).containsOnly(Issue.UNMAPPED_CODE);
        assertThat(records.get(4).issues()).anySatisfy(i -> assertThat(i.message()).contains("SPO2", "rio-west-item-codes"));

        StringWriter out = new StringWriter();
        registry.writer("rio-west", "assessments").write(RoundTripTest.outbound(records), out);
        assertThat(out.toString()).startsWith("PatientRef,AssessmentID,AssessmentDate,Team,ClinicianCode,LocalItem,");
        assertThat(out.toString()).contains("W-1,03/02/2025 11:15,HV-WEST,HV101,BMI,16.2,kg/m2,N");
    }

    @Test
    void reloadPicksUpEditsAndKeepsTheOldMappingWhenTheNewOneIsBroken(@TempDir Path dir) throws IOException {
        copy(VARIANT, dir);
        MappingRegistry registry = MappingRegistry.builtIn().withOverrides(dir);
        assertThat(read(registry, dir.resolve("variant-assessments.csv")).get(4).isQuarantined()).isTrue();

        Path cm = dir.resolve("conceptmaps/ConceptMap-rio-west-item-codes.json");
        Files.writeString(cm, Files.readString(cm).replace("{ \"code\": \"TEMP\"",
                "{ \"code\": \"SPO2\", \"target\": [ { \"code\": \"59408-5\", \"equivalence\": \"equivalent\" } ] },\n      { \"code\": \"TEMP\""));
        Path yaml = dir.resolve("mappings/rio-west/assessments.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("Cel: Cel,", "Cel: Cel, \"%\": \"%\",").replace("1.1.0", "1.2.0"));
        registry.reload();
        MappedRecord spo2 = read(registry, dir.resolve("variant-assessments.csv")).get(4);
        assertThat(spo2.issues()).isEmpty();
        assertThat(spo2.mappingVersion()).isEqualTo("1.2.0");

        Files.writeString(yaml, Files.readString(yaml).replace("layout: rio-assessments", "layout: rio-assesments"));
        assertThatThrownBy(registry::reload).isInstanceOf(MappingException.class).hasMessageContaining("assessments.yaml")
                .hasMessageContaining("'rio-assesments' is unknown");
        assertThat(registry.mapping("rio-west", "assessments").version).isEqualTo("1.2.0");
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
