package org.childrensgateway.mappers;

import java.io.InputStream;

import org.childrensgateway.mappers.build.Layout;
import org.childrensgateway.mappers.build.RecordMapper;
import org.childrensgateway.mappers.codes.CodeTranslator;
import org.childrensgateway.mappers.config.FeedMapping;
import org.childrensgateway.mappers.csv.CsvRecordStream;
import org.childrensgateway.mappers.xml.XmlRecordStream;

/** Reads one feed's file (e.g. rio clients) into mapped records. Immutable and thread-safe; open one stream per input. */
public final class FeedReader {

    private final FeedMapping mapping;
    private final RecordMapper mapper;

    FeedReader(FeedMapping mapping, Layout layout, CodeTranslator translator) {
        this.mapping = mapping;
        this.mapper = new RecordMapper(mapping, layout, translator);
    }

    /**
     * Starts reading. Throws {@link MappingException} at once when the input cannot be this file
     * (missing required column, wrong XML namespace); bad records are returned quarantined instead.
     * The stream does not close {@code in} before you close the stream.
     */
    public RecordStream open(InputStream in) {
        if ("xml".equals(mapping.format)) {
            return new XmlRecordStream(in, mapping, mapper, mapping.namespace, mapping.recordElement,
                    mapping.organisationAttribute == null ? "organisation" : mapping.organisationAttribute);
        }
        return new CsvRecordStream(in, mapping, mapper);
    }

    public FeedMapping mapping() {
        return mapping;
    }

    public String version() {
        return mapping.version;
    }
}
