package org.childrensgateway.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The linkage rules as a table: an arriving record, the child records already there (each a list of
 * source records), and what must happen. Pure Java, no database, milliseconds.
 */
class LinkDeciderTest {

    private static final LinkDecider DECIDER = new LinkDecider(LinkageSettings.DEFAULTS);

    /** A record builder with sensible defaults (one household in Pontypool). */
    static final class R {
        String id = "x";
        String system = "systmone/M85001";
        String nhs;
        List<String> given = List.of("jessica");
        String family = "pryce";
        String dob = "2023-03-15";
        String sex = "female";
        String postcode = "NP46AB";
        String address = "7 heol y bryn";
        List<String> carers = List.of();

        static R of(String id, String system) {
            R r = new R();
            r.id = id;
            r.system = system;
            return r;
        }

        R nhs(String v) { nhs = v; return this; }
        R given(String... v) { given = List.of(v); return this; }
        R family(String v) { family = v; return this; }
        R dob(String v) { dob = v; return this; }
        R noAddress() { postcode = null; address = null; return this; }
        R moved(String pc, String line) { postcode = pc; address = line; return this; }
        R carer(String v) { carers = List.of(v); return this; }

        PersonFeatures f() {
            return new PersonFeatures(id, system == null ? null : system.split("/")[0], nhs, nhs != null, given, family, dob, sex, postcode,
                    address, carers, List.of(), system);
        }
    }

    static R rio(String id) { return R.of(id, "rio/RX9"); }
    static R gp(String id) { return R.of(id, "systmone/M85001"); }
    static R centre(String id) { return R.of(id, "childrens-centre/W06000020"); }

    /** One child record and its members. */
    record Child(String id, List<R> members) {
    }

    static Child child(String id, R... members) {
        return new Child(id, List.of(members));
    }

    /** Expected: "link:<child>", "new", and the review reasons' key words. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("issue 14 case 1: scores 26 against J's centre record, but J's RiO record holds another NHS number",
                        gp("k").nhs("9994426060").noAddress(),
                        List.of(child("J", rio("j1").nhs("9992865628"), centre("j2"))),
                        "new", "different NHS number"),
                Arguments.of("case 1 with the address too: the constraint still holds",
                        gp("k").nhs("9994426060"),
                        List.of(child("J", rio("j1").nhs("9992865628"), centre("j2"))),
                        "new", "different NHS number"),
                Arguments.of("issue 14 case 2: twin B's middle name is twin A's first, different verified NHS numbers",
                        gp("b").nhs("9991945784").given("gethin", "osian").carer("nia pryce"),
                        List.of(child("A", centre("a1").given("osian").carer("nia pryce"), rio("a2").nhs("9991945792").given("osian"))),
                        "new", "different NHS number"),
                Arguments.of("a second record of one source system never joins (two registrations, two children)",
                        centre("c2").carer("nia pryce"),
                        List.of(child("A", centre("c1").carer("nia pryce"))),
                        "new", "same source system"),
                Arguments.of("same NHS number links",
                        gp("g").nhs("9992865628").given("jess").moved("LL557AA", "1 stryd fawr"),
                        List.of(child("J", rio("j1").nhs("9992865628"))),
                        "link:J", ""),
                Arguments.of("same NHS number but the child record holds another: review",
                        gp("g").nhs("9992865628"),
                        List.of(child("J", rio("j1").nhs("9992865628"), centre("j2").nhs("9994426060"))),
                        "new", "different NHS number"),
                Arguments.of("name and date of birth alone (different towns) never auto-link",
                        centre("c").moved("SA11AA", "4 high street"),
                        List.of(child("J", gp("g").nhs("9992865628"))),
                        "new", "no address, postcode or carer"),
                Arguments.of("name, date of birth and postcode: linked",
                        centre("c"),
                        List.of(child("J", gp("g").nhs("9992865628"))),
                        "link:J", ""),
                Arguments.of("moved family, the carer corroborates",
                        centre("c").moved("SA11AA", "4 high street").carer("nia pryce"),
                        List.of(child("J", gp("g").nhs("9992865628").carer("nia pryce"))),
                        "link:J", ""),
                Arguments.of("two child records alike within the margin: review both",
                        centre("c"),
                        List.of(child("J", gp("g").nhs("9992865628")), child("K", rio("r").nhs("9994426060"))),
                        "new", "ambiguous"),
                Arguments.of("twins with similar names in one household are not one child",
                        centre("c").given("lucas").carer("nia pryce"),
                        List.of(child("A", gp("g").nhs("9992865628").given("luca").carer("nia pryce"))),
                        "new", "between the thresholds"),
                Arguments.of("twins guard tolerates half of a double-barrelled surname",
                        centre("c").given("cadi").family("price").carer("nia pryce"),
                        List.of(child("A", gp("g").nhs("9992865628").given("seren").family("jonesprice").carer("nia pryce"))),
                        "new", ""),
                Arguments.of("a nickname the tables now know (Alfie/Alfred) at the same address links",
                        centre("c").given("alfie").carer("nia pryce"),
                        List.of(child("A", gp("g").nhs("9992865628").given("alfred").carer("nia pryce"))),
                        "link:A", ""),
                Arguments.of("Welsh/English form (Alys/Alice) at the same address links",
                        centre("c").given("alys"),
                        List.of(child("A", gp("g").nhs("9992865628").given("alice"))),
                        "link:A", ""),
                Arguments.of("a placeholder forename is no evidence, and without a name only an NHS number links",
                        gp("g").given().nhs("9992865628").carer("nia pryce"),
                        List.of(child("A", centre("c").given("amelia").carer("nia pryce"))),
                        "new", "placeholder"),
                Arguments.of("a placeholder-named record with the child's NHS number links",
                        gp("g").given().nhs("9992865628"),
                        List.of(child("A", rio("r").given("amelia").nhs("9992865628"), centre("c").given("amelia"))),
                        "link:A", ""),
                Arguments.of("two placeholder-named babies of one system never fuse",
                        gp("g2").given().nhs(null),
                        List.of(child("A", gp("g1").given())),
                        "new", "same source system"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, R record, List<Child> children, String expected, String reviewReason) {
        List<LinkDecider.Candidate> candidates = new ArrayList<>();
        for (Child c : children) {
            for (R m : c.members()) {
                candidates.add(new LinkDecider.Candidate(m.f(), c.id(), "auto"));
            }
        }
        LinkDecider.Decision d = DECIDER.decide(record.f(), candidates, Set.of());
        assertThat(d.links() ? "link:" + d.childId() : "new").as(name).isEqualTo(expected);
        if (!reviewReason.isEmpty()) {
            assertThat(d.reviews()).as(name + ": reviews").isNotEmpty();
            assertThat(d.reviews().get(0).reason()).as(name).contains(reviewReason);
        }
    }
}
