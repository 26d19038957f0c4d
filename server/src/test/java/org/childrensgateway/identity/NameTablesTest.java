package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The name tables as data: nicknames and Welsh/English forms, and placeholder forenames. */
class NameTablesTest {

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource({"Jacob, Jake", "Alfred, Alfie", "Florence, Flo", "Evelyn, Evie", "Eve, Evie", "Harriet, Hattie", "Alexander, Xander",
        "Llewellyn, Llew", "Llywelyn, Llewellyn", "Alice, Alys", "Cai, Kai", "Macsen, Maxen", "Amelia, Millie", "William, Gwilym",
        "John, Siôn", "David, Dafydd", "Llŷr, Lyr", "Eva, Efa", "Jack, Jac", "Mary, Mali", "Catherine, Cadi", "Laura, Lowri"})
    void variants(String a, String b) {
        assertThat(NameVariants.variants(Names.normalise(a), Names.normalise(b))).isTrue();
        assertThat(NameVariants.variants(Names.normalise(b), Names.normalise(a))).isTrue();
    }

    @ParameterizedTest(name = "{0} is not {1}")
    @CsvSource({"Luca, Lucas", "Isla, Isabella", "Hannah, Anne", "Osian, Gethin", "John, Jacob", "Amelia, Amelia"})
    void notVariants(String a, String b) {
        assertThat(NameVariants.variants(Names.normalise(a), Names.normalise(b))).isFalse();
    }

    @Test
    void theTableLoadsFromItsResource() {
        assertThat(NameVariants.load(NameVariants.RESOURCE)).hasSizeGreaterThan(90);
        assertThat(NameVariants.canonical("millie")).isEqualTo("amelia");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Baby", "BABY", "Infant", "Baby of Jones", "Baby-of-Jones", "Twin 1", "Twin Two", "Baby A", "Baby Boy", "Newborn",
        "Unknown", "Son of Cerys", "Triplet 3"})
    void placeholders(String forename) {
        assertThat(PlaceholderNames.current().isPlaceholder(forename)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Amelia", "Babette", "Twyla", "Infanta-Rose", "Bobby", "Jones"})
    void realNames(String forename) {
        assertThat(PlaceholderNames.current().isPlaceholder(forename)).isFalse();
    }

    @Test
    void placeholdersAreLeftOutOfTheNameEvidenceWhole() {
        assertThat(FeatureExtractor.givenNames(List.of("Baby of Jones"))).isEmpty();
        assertThat(FeatureExtractor.givenNames(List.of("Twin 1", "Amelia Rose"))).containsExactly("amelia", "rose");
    }

    @Test
    void configuredPlaceholdersAddToTheTable() {
        PlaceholderNames extended = new PlaceholderNames(List.of("bebe", "bairn *"));
        assertThat(extended.isPlaceholder("Bairn of Smith")).isTrue();
        assertThat(extended.isPlaceholder("Bebe")).isTrue();
        assertThat(extended.isPlaceholder("Baby")).isFalse();
    }
}
