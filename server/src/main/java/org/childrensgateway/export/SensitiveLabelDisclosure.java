package org.childrensgateway.export;

import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.stereotype.Component;

/**
 * The disclosure rule until per-caller consent decisions exist: anything carrying a sensitivity or
 * restriction label (mental health, sexual health, safeguarding, restricted) is never exported.
 * Failing closed on what is most harmful to disclose.
 */
@Component
@ConditionalOnMissingBean(value = ExportDisclosure.class, ignored = SensitiveLabelDisclosure.class)
public class SensitiveLabelDisclosure implements ExportDisclosure {

    static final Set<String> WITHHELD = Set.of("PSY", "ETH", "HIV", "SEX", "SDV", "SOC", "R", "V");

    @Override
    public List<Resource> disclose(ExportRequest request, String patientId, List<Resource> resources) {
        return resources.stream().filter(r -> r.getMeta().getSecurity().stream().map(Coding::getCode).noneMatch(WITHHELD::contains)).toList();
    }
}
