package org.childrensgateway.mappers.build;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.childrensgateway.mappers.centre.CentreAttendanceLayout;
import org.childrensgateway.mappers.centre.CentreNotificationLayout;
import org.childrensgateway.mappers.centre.CentreProgressCheckLayout;
import org.childrensgateway.mappers.centre.CentreRegistrationLayout;
import org.childrensgateway.mappers.rio.RioAssessmentLayout;
import org.childrensgateway.mappers.rio.RioCarePlanLayout;
import org.childrensgateway.mappers.rio.RioClientLayout;
import org.childrensgateway.mappers.systmone.SystmOnePatientLayout;

/** The layouts mapping files can name. Adding a new kind of record (not a new site) means adding one here. */
public final class Layouts {

    private static final Map<String, Layout> ALL = List.of(
            new RioClientLayout(), new RioAssessmentLayout(), new RioCarePlanLayout(),
            new SystmOnePatientLayout(),
            new CentreRegistrationLayout(), new CentreAttendanceLayout(), new CentreProgressCheckLayout(),
            new CentreNotificationLayout(), new org.childrensgateway.mappers.centre.CentreHealthLayout())
            .stream().collect(Collectors.toUnmodifiableMap(Layout::name, Function.identity()));

    private Layouts() {
    }

    public static Layout byName(String name) {
        return ALL.get(name);
    }

    public static Map<String, Layout> all() {
        return ALL;
    }
}
