package org.childrensgateway.profiles.compiled;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;

/**
 * The R4 vital-signs profiles an Observation's code implies, as HAPI's
 * {@code BasePolicyAdvisorForFullValidation} (used by the project's ImpliedProfilesPolicyAdvisor)
 * assigns them: for the growth measurements the gateway stores at volume (body weight, height,
 * head circumference, BMI) the same LOINC and SNOMED CT codes; every other code that advisor
 * recognises (heart rate, blood pressure, temperature...) is not mapped here and makes the
 * verdict UNSURE, so those Observations always go to HAPI.
 */
final class ImpliedProfiles {

  private static final String SD = "http://hl7.org/fhir/StructureDefinition/";
  private static final String LOINC = "http://loinc.org";
  private static final String SNOMED = "http://snomed.info/sct";

  private static final Map<String, String> MAPPED = new HashMap<>();
  /** Codes the advisor also recognises, for profiles not mapped here. */
  private static final Set<String> OTHER = Set.of(
      LOINC + "|85353-1", LOINC + "|9279-1", LOINC + "|76170-0", LOINC + "|76172-6", LOINC + "|76171-8",
      LOINC + "|19840-8", LOINC + "|33438-3", LOINC + "|76270-8", LOINC + "|11291-2", LOINC + "|60978-4",
      LOINC + "|73795-7", LOINC + "|73799-9", LOINC + "|76476-1", LOINC + "|76477-9", LOINC + "|8867-4",
      LOINC + "|8889-8", LOINC + "|8890-6", LOINC + "|8891-4", LOINC + "|8892-2", LOINC + "|8893-0",
      LOINC + "|40443-4", LOINC + "|55425-3", LOINC + "|68999-2", LOINC + "|11328-2", LOINC + "|69000-8",
      LOINC + "|8886-4", LOINC + "|2708-6", LOINC + "|19224-5", LOINC + "|20564-1", LOINC + "|2709-4",
      LOINC + "|2710-2", LOINC + "|2713-6", LOINC + "|51733-4", LOINC + "|59408-5", LOINC + "|59417-6",
      LOINC + "|89276-0", LOINC + "|97549-0", LOINC + "|8310-5", LOINC + "|60834-9", LOINC + "|60835-6",
      LOINC + "|60836-4", LOINC + "|60838-0", LOINC + "|60955-2", LOINC + "|61009-7", LOINC + "|75539-7",
      LOINC + "|75987-8", LOINC + "|76010-8", LOINC + "|76011-6", LOINC + "|76278-1", LOINC + "|8309-7",
      LOINC + "|8328-7", LOINC + "|8329-5", LOINC + "|8330-3", LOINC + "|8331-1", LOINC + "|8332-9",
      LOINC + "|8333-7", LOINC + "|8334-5", LOINC + "|91371-5", LOINC + "|98657-0", LOINC + "|98663-8",
      LOINC + "|85354-9", LOINC + "|35094-2", LOINC + "|8459-0", LOINC + "|76534-7", LOINC + "|55284-4",
      LOINC + "|8480-6", SNOMED + "|46680005", SNOMED + "|86290005", SNOMED + "|271625008",
      SNOMED + "|271306003", SNOMED + "|249043002", SNOMED + "|444981005", SNOMED + "|399017001",
      SNOMED + "|251670001", SNOMED + "|429525003", SNOMED + "|429614003", SNOMED + "|442476006",
      SNOMED + "|431314004", SNOMED + "|386725007", SNOMED + "|276885007", SNOMED + "|300076005",
      SNOMED + "|1222808002", SNOMED + "|364246006", SNOMED + "|307047009", SNOMED + "|708499008",
      SNOMED + "|431598003", SNOMED + "|698831002", SNOMED + "|698832009", SNOMED + "|415882003",
      SNOMED + "|415974002", SNOMED + "|415929009", SNOMED + "|415945006", SNOMED + "|251076008",
      SNOMED + "|163033001", SNOMED + "|163035008", SNOMED + "|386534000", SNOMED + "|386536003",
      SNOMED + "|271649006", SNOMED + "|271650006", SNOMED + "|407556006", SNOMED + "|407554009",
      SNOMED + "|716579001", SNOMED + "|399304008");

  static {
    map(SD + "bodyheight", LOINC, "8302-2", "3137-7", "3138-5", "8306-3", "8308-9");
    map(SD + "bodyheight", SNOMED, "1153637007", "1162419008", "50373000", "1162418000", "1230278008", "1162392001", "1162417005");
    map(SD + "headcircum", LOINC, "9843-4", "8287-5");
    map(SD + "headcircum", SNOMED, "363812007", "169876006", "1269262007", "363811000");
    map(SD + "bodyweight", LOINC, "29463-7", "3141-9", "3142-7", "75292-3", "79348-9", "8350-1", "8351-9");
    map(SD + "bodyweight", SNOMED, "735395000", "425024002", "424927000", "784399000", "1162416001", "1162415002");
    map(SD + "bmi", LOINC, "39156-5", "89270-3");
    map(SD + "bmi", SNOMED, "60621009");
  }

  private ImpliedProfiles() {}

  private static void map(String profile, String system, String... codes) {
    for (String code : codes) {
      MAPPED.put(system + "|" + code, profile);
    }
  }

  static List<String> of(Resource resource, Walker walker) {
    List<String> out = new ArrayList<>();
    if (!(resource instanceof Observation o)) {
      return out;
    }
    for (Coding c : o.getCode().getCoding()) {
      String key = c.getSystem() + "|" + c.getCode();
      String profile = MAPPED.get(key);
      if (profile != null && !out.contains(profile)) {
        out.add(profile);
      } else if (OTHER.contains(key)) {
        walker.unsure(Loc.root("Observation").child("code"), "implies a vital-signs profile not mapped here");
      }
    }
    return out;
  }
}
