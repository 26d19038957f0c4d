package org.childrensgateway.mappers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load errors name the file, the field and what is wrong. */
class MappingLoaderTest {

    static MappingException load(Path dir, String yaml) throws IOException {
        Path feed = Files.createDirectories(dir.resolve("mappings/site-x"));
        Files.writeString(feed.resolve("clients.yaml"), yaml);
        try {
            MappingRegistry.builtIn().withOverrides(dir);
        } catch (MappingException e) {
            return e;
        }
        throw new AssertionError("expected a MappingException");
    }

    static final String GOOD = """
            version: "1"
            layout: rio-clients
            organisation: RZZ
            fields:
              clientId: { source: ClientID, required: true }
              surname: { source: Surname }
              forenames: { source: Forenames, transform: given-names }
              birthDate: { source: DOB, transform: date, format: dd/MM/yyyy }
            """;

    @Test
    void goodFileLoads(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("mappings/site-x"));
        Files.writeString(dir.resolve("mappings/site-x/clients.yaml"), GOOD);
        assertThat(MappingRegistry.builtIn().withOverrides(dir).files("site-x")).containsExactly("clients");
    }

    @Test
    void unknownKey(@TempDir Path dir) throws IOException {
        assertThat(load(dir, GOOD.replace("source: Surname", "colum: Surname")).getMessage())
                .contains("clients.yaml", "unknown key 'colum'", "fields.surname");
    }

    @Test
    void wrongTransformForTheField(@TempDir Path dir) throws IOException {
        assertThat(load(dir, GOOD.replace("transform: date, format: dd/MM/yyyy", "transform: text")).getMessage())
                .contains("clients.yaml", "fields.birthDate", "needs DATE", "use transform: date");
    }

    @Test
    void unknownConceptMapMissingVersionAndMandatoryField(@TempDir Path dir) throws IOException {
        String yaml = GOOD.replace("version: \"1\"\n", "").replace("  surname: { source: Surname }\n", "")
                + "  gender: { source: Sex, transform: code, conceptMap: no-such-map }\n";
        assertThat(load(dir, yaml).getMessage()).contains("'version' is missing", "ConceptMap 'no-such-map' is not loaded",
                "field 'surname' is required by layout 'rio-clients'");
    }

    @Test
    void badDatePatternAndUnknownField(@TempDir Path dir) throws IOException {
        assertThat(load(dir, GOOD.replace("dd/MM/yyyy", "dd/bb/yyyy") + "  shoeSize: { source: Shoe }\n").getMessage())
                .contains("not a valid date pattern", "layout 'rio-clients' has no field 'shoeSize'");
    }

    @Test
    void inputMissingARequiredColumnFailsUpFront() {
        var reader = Samples.REGISTRY.reader("rio", "clients");
        assertThatThrownBy(() -> reader.open(new ByteArrayInputStream("Foo,Bar\n1,2\n".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(MappingException.class).hasMessageContaining("no column 'ClientID'");
    }

    @Test
    void unknownFeedAndFileAreNamed() {
        assertThatThrownBy(() -> Samples.REGISTRY.reader("emis", "x")).hasMessageContaining("unknown feed 'emis'").hasMessageContaining("rio");
        assertThatThrownBy(() -> Samples.REGISTRY.reader("rio", "notes")).hasMessageContaining("clients");
        assertThatThrownBy(() -> Samples.REGISTRY.reader("childrens-centre", "notifications")).hasMessageContaining("outbound-only");
    }
}
