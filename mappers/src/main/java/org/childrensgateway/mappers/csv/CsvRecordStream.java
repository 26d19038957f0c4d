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
 * Streams an RFC 4180 CSV file record by record through a {@link RecordMapper}. Columns are found
 * by header name; each record keeps the line it starts on and a replayable copy (header + row).
 * A broken record is quarantined and the next one read ({@link CsvLines}); a file whose header is
 * not CSV is refused whole, before any record.
 */
public final class CsvRecordStream implements RecordStream {

    public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader().setSkipHeaderRecord(true)
            .setIgnoreEmptyLines(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_EMPTY)
            .setAllowMissingColumnNames(true)
            .get();

    /** A field longer than this is refused as over-long (the record is quarantined). */
    public static final int MAX_FIELD_CHARS = 32_768;

    private static final CSVFormat ROW = CSVFormat.RFC4180;

    private final CsvLines lines;
    private final FeedMapping mapping;
    private final RecordMapper mapper;
    private final List<String> header;
    private final String headerLine;
    private final String organisation;
    private boolean iterated;

    public CsvRecordStream(InputStream in, FeedMapping mapping, RecordMapper mapper) {
        try {
            this.lines = new CsvLines(BomSkippingReader.open(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.mapping = mapping;
        this.mapper = mapper;
        this.organisation = mapping.organisation;
        CsvLines.Chunk head = lines.next();
        this.headerLine = head == null ? "" : head.text();
        this.header = head == null ? List.of() : header(mapping, head);
        checkHeader(mapping, Set.copyOf(header));
    }

    /** File-level faults: a header that is not CSV text refuses the whole file before anything is stored. */
    private static List<String> header(FeedMapping mapping, CsvLines.Chunk head) {
        String name = mapping.feed + "/" + mapping.file;
        if (head.unclosed()) {
            throw new MappingException(name + ": not a CSV file: the header line has an unclosed quote");
        }
        if (head.text().indexOf(0) >= 0 || head.text().indexOf(BomSkippingReader.MALFORMED) >= 0) {
            throw new MappingException(name + ": not a CSV file: the header line is not UTF-8 text");
        }
        List<String> names = parse(head.text());
        if (names == null) {
            throw new MappingException(name + ": not a CSV file: the header line is not RFC 4180 CSV");
        }
        Set<String> seen = new java.util.HashSet<>();
        for (String n : names) {
            if (!n.isEmpty() && !seen.add(n)) {
                throw new MappingException(name + ": the header names a column twice (" + safe(n) + ")");
            }
        }
        return names;
    }

    /** The fields of one record's text, or null if it is not one well-formed CSV record. */
    private static List<String> parse(String text) {
        try (CSVParser p = CSVParser.parse(text, ROW)) {
            List<CSVRecord> records = p.getRecords();
            if (records.size() != 1) {
                return null;
            }
            return records.get(0).toList();
        } catch (IOException | UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String safe(String name) {
        return name.matches("[A-Za-z0-9 _.-]{1,64}") ? "'" + name + "'" : "a column";
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
            private MappedRecord next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    CsvLines.Chunk chunk = lines.next();
                    next = chunk == null ? null : record(chunk);
                }
                return next != null;
            }

            @Override
            public MappedRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                MappedRecord r = next;
                next = null;
                return r;
            }
        };
    }

    /**
     * Record-level faults quarantine the record with its line and reason and reading goes on:
     * unclosed quote, malformed CSV, short or long row, NUL, invalid UTF-8, over-long field.
     */
    private MappedRecord record(CsvLines.Chunk chunk) {
        long line = chunk.line();
        if (chunk.unclosed()) {
            return fault(chunk, "unclosed-quote", null, "a quoted field opened on line " + line
                    + " is never closed; this line is quarantined and reading resumed at line " + (line + 1));
        }
        List<String> values = parse(chunk.text());
        boolean multiLine = chunk.text().indexOf('\n') < chunk.text().length() - 1 && chunk.text().indexOf('\n') >= 0;
        if (values == null || values.size() != header.size()) {
            if (multiLine) {
                // Probably a stray quote joined lines that are records of their own: this line alone is the fault.
                lines.retryAfterFirstLine(chunk);
                chunk = new CsvLines.Chunk(chunk.text().substring(0, chunk.text().indexOf('\n') + 1), line, false);
                values = parse(chunk.text());
            }
            if (values == null) {
                return fault(chunk, "malformed-csv", null, "line " + line + " is not a well-formed CSV record (a stray quote)");
            }
            if (values.size() != header.size()) {
                return fault(chunk, values.size() < header.size() ? "short-row" : "long-row", null, "line " + line + " has "
                        + values.size() + " fields, the header " + header.size());
            }
        }
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            String column = header.get(i);
            if (value.indexOf(0) >= 0) {
                return fault(chunk, "nul-character", column, "a NUL character, which cannot be stored");
            }
            if (value.indexOf(BomSkippingReader.MALFORMED) >= 0) {
                return fault(chunk, "invalid-utf8", column, "bytes that are not valid UTF-8");
            }
            if (value.length() > MAX_FIELD_CHARS) {
                return fault(chunk, "over-long-field", column, value.length() + " characters, over the limit of " + MAX_FIELD_CHARS);
            }
        }
        java.util.Map<String, String> row = new java.util.LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            row.putIfAbsent(header.get(i), values.get(i));
        }
        return mapper.map(new Row(row), "line " + line, line, raw(values), organisation);
    }

    private MappedRecord fault(CsvLines.Chunk chunk, String code, String column, String message) {
        // The record as received (header and its line), with NUL made visible so the text can be stored and fixed.
        String rawText = (headerLine + chunk.text()).replace("\u0000", "\\u0000");
        return new MappedRecord(mapping.feed, mapping.file, mapping.version, "line " + chunk.line(), chunk.line(), null, rawText,
                List.of(), null, List.of(org.childrensgateway.mappers.Issue.error(code, column, message)));
    }

    private String raw(List<String> values) {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180)) {
            p.printRecord(header);
            p.printRecord(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    @Override
    public void close() {
        // The caller owns the InputStream.
    }

    /** A row; a column absent from this file's header reads as no value. */
    private record Row(java.util.Map<String, String> record) implements SourceRecord {
        @Override
        public List<String> values(String source) {
            String value = record.get(source);
            return value == null ? List.of() : List.of(value);
        }

        @Override
        public List<SourceRecord> children(String path) {
            return List.of();
        }

        @Override
        public boolean has(String source) {
            return record.containsKey(source);
        }
    }

}
