package org.childrensgateway.export;

import java.util.List;
import java.util.Optional;
import org.childrensgateway.consent.Disclosure;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/** Outbound files carry only what the consent decision lets the pulling system see, as it may see it. */
@Component
public class ConsentExportDisclosure implements ExportDisclosure {

    private final Disclosure disclosure;

    public ConsentExportDisclosure(Disclosure disclosure) {
        this.disclosure = disclosure;
    }

    @Override
    public List<Resource> disclose(ExportRequest request, String patientId, List<Resource> resources) {
        Disclosure.Session session = disclosure.session();
        return resources.stream().map(session::apply).flatMap(Optional::stream).toList();
    }
}
