package org.childrensgateway.export;

import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/**
 * THE place where what a receiving system may be sent is decided: every outbound record passes
 * through here before it is written. The consent and sharing-agreement decision plugs in here.
 */
public interface ExportDisclosure {

    /** The resources of one child that may be sent for this request (a subset of {@code resources}, possibly reduced). */
    List<Resource> disclose(ExportRequest request, String patientId, List<Resource> resources);
}
