package org.childrensgateway.mappers.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.childrensgateway.mappers.MappedRecord;
import org.childrensgateway.mappers.MappingException;
import org.childrensgateway.mappers.RecordStream;
import org.childrensgateway.mappers.build.RecordMapper;
import org.childrensgateway.mappers.build.SourceRecord;
import org.childrensgateway.mappers.config.FeedMapping;
import org.childrensgateway.mappers.config.FieldSpec;

/**
 * Streams an RFC 4180 CSV file row by row through a {@link RecordMapper}. Columns are found by
 * header name; each record keeps the line it starts on and a replayable copy (header + row).
 */
public final class CsvRecordStream implements RecordStream {

    public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader().setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_EMPTY)
            .setAllowMissingColumnNames(true)
            .get();

    private final CSVParser parser;
    private final Iterator<CSVRecord> rows;
    private final RecordMapper mapper;
    private final List<String> header;
    private final String organisation;
    private boolean iterated;
    private long previousEndLine;

    public CsvRecordStream(InputStream in, FeedMapping mapping, RecordMapper mapper) {
        try {
            this.parser = CSVParser.builder().setReader(BomSkippingReader.open(in)).setFormat(FORMAT).get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.header = parser.getHeaderNames();
        this.rows = parser.iterator();
        this.previousEndLine = parser.getCurrentLineNumber();
        this.mapper = mapper;
        this.organisation = mapping.organisation;
        checkHeader(mapping, Set.copyOf(header));
    }

    /** A file missing a required column would quarantine every row; fail it up front with the column name. */
    private static void checkHeader(FeedMapping mapping, Set<String> columns) {
        for (FieldSpec f : mapping.fields.values()) {
            if (f.required) {
                for (String col : f.source) {
                    if (!columns.contains(col)) {
                        throw new MappingException(mapping.feed + "/" + mapping.file + ": input has no column '" + col
                                + "' (required by field '" + f.name + "' in " + mapping.origin + ")");
                    }
                }
            }
        }
    }

    @Override
    public Iterator<MappedRecord> iterator() {
        if (iterated) {
            throw new IllegalStateException("a RecordStream can be iterated once");
        }
        iterated = true;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return rows.hasNext();
                } catch (UncheckedIOException e) {
                    throw new MappingException("CSV input unreadable after line " + parser.getCurrentLineNumber(), e);
                }
            }

            @Override
            public MappedRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                // hasNext() has parsed this row, so the parser is at its last line; it starts after the previous one.
                long startLine = previousEndLine + 1;
                previousEndLine = parser.getCurrentLineNumber();
                CSVRecord row = rows.next();
                return mapper.map(new Row(row), "line " + startLine, startLine, raw(row), organisation);
            }
        };
    }

    private String raw(CSVRecord row) {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180)) {
            p.printRecord(header);
            p.printRecord(row.values());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A row; a column absent from this file's header reads as no value. */
    private record Row(CSVRecord record) implements SourceRecord {
        @Override
        public List<String> values(String source) {
            return record.isMapped(source) && record.isSet(source) ? List.of(record.get(source)) : List.of();
        }

        @Override
        public List<SourceRecord> children(String path) {
            return List.of();
        }

        @Override
        public boolean has(String source) {
            return record.isMapped(source);
        }
    }

}
