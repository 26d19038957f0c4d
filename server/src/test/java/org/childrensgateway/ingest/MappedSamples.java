package org.childrensgateway.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.childrensgateway.mappers.MappedRecord;
import org.childrensgateway.mappers.MappingRegistry;
import org.childrensgateway.mappers.RecordStream;
import org.hl7.fhir.r4.model.Resource;

/** Every resource the built-in mappings make of the vendors' sample files ({@link Samples}), in file order. */
public final class MappedSamples {

    private static final String[][] FILES = {
            {"rio", "clients", "rio-clients.csv"}, {"rio", "assessments", "rio-assessments.csv"},
            {"rio", "careplans", "rio-careplans.csv"}, {"systmone", "extract", "systmone-extract.xml"},
            {"childrens-centre", "registrations", "cc-registrations.csv"},
            {"childrens-centre", "progress-checks", "cc-progress-checks.csv"},
            {"childrens-centre", "attendance", "cc-attendance.csv"}};

    private MappedSamples() {
    }

    public static List<Resource> resources() {
        MappingRegistry mappings = MappingRegistry.builtIn();
        List<Resource> out = new ArrayList<>();
        for (String[] f : FILES) {
            try (InputStream in = new java.io.ByteArrayInputStream(Samples.bytes(f[2])); RecordStream s = mappings.reader(f[0], f[1]).open(in)) {
                for (MappedRecord record : s) {
                    out.addAll(record.resources());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
