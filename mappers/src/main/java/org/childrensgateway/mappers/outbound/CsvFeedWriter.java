package org.childrensgateway.mappers.outbound;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.childrensgateway.mappers.FeedWriter;
import org.childrensgateway.mappers.Issue;
import org.childrensgateway.mappers.OutboundRecord;
import org.childrensgateway.mappers.build.Layout;
import org.childrensgateway.mappers.build.OutContext;
import org.childrensgateway.mappers.build.OutRow;
import org.childrensgateway.mappers.codes.CodeTranslator;
import org.childrensgateway.mappers.config.FeedMapping;
import org.childrensgateway.mappers.config.FieldSpec;
import org.childrensgateway.mappers.transform.FieldValues;

/** Writes a CSV layout: the header is the mapping's columns in file order; each row is formatted by the field specs. */
public final class CsvFeedWriter implements FeedWriter {

    private final FeedMapping mapping;
    private final Layout layout;
    private final CodeTranslator translator;

    public CsvFeedWriter(FeedMapping mapping, Layout layout, CodeTranslator translator) {
        this.mapping = mapping;
        this.layout = layout;
        this.translator = translator;
    }

    @Override
    public Sink open(Writer out) {
        List<String> header = new ArrayList<>();
        mapping.fields.values().forEach(f -> header.addAll(f.source));
        List<Issue> issues = new ArrayList<>();
        OutContext ctx = new OutContext(mapping, translator, issues);
        try {
            CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180);
            printer.printRecord(header.stream().map(CsvCells::neutralise).toList());
            return new Sink() {
                int written;

                @Override
                public void accept(OutboundRecord record) {
                    for (OutRow row : layout.extract(record, ctx)) {
                        List<String> cells = new ArrayList<>();
                        for (FieldSpec f : mapping.fields.values()) {
                            cells.addAll(FieldValues.format(f, row.get(f.name), translator, issues));
                        }
                        try {
                            printer.printRecord(cells.stream().map(c -> c == null ? "" : CsvCells.neutralise(c)).toList());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        written++;
                    }
                }

                @Override
                public WriteResult result() {
                    return new WriteResult(written, issues);
                }

                @Override
                public void close() {
                    try {
                        printer.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
