package org.childrensgateway.mappers.csv;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Splits CSV text into records by their quotes, so one broken record cannot take the rest of the
 * file with it. A record is a physical line, or several when a quoted field holds line breaks. A
 * quote left open (until the end of the file, or past {@link #MAX_RECORD_CHARS}) makes the first
 * line alone a fault, and reading resumes at the line after it.
 */
final class CsvLines {

    /** A quoted field longer than this is taken for an unclosed quote. */
    static final int MAX_RECORD_CHARS = 1 << 20;

    /** One record's text, or a fault: {@code unclosed} is true when its quote never closed. */
    record Chunk(String text, long line, boolean unclosed) {
    }

    private record Line(String text, long number) {
    }

    private final Reader in;
    private final Deque<Line> pushedBack = new ArrayDeque<>();
    private long lineNumber;
    private boolean eof;

    CsvLines(Reader in) {
        this.in = in;
    }

    /** The next record, or null at the end. */
    Chunk next() {
        Line first = line();
        while (first != null && first.text().isBlank()) {
            first = line();
        }
        if (first == null) {
            return null;
        }
        if (!opensQuote(first.text(), false)) {
            return new Chunk(first.text(), first.number(), false);
        }
        StringBuilder text = new StringBuilder(first.text());
        Deque<Line> taken = new ArrayDeque<>();
        boolean open = true;
        while (open && text.length() <= MAX_RECORD_CHARS) {
            Line more = line();
            if (more == null) {
                break;
            }
            taken.add(more);
            text.append(more.text());
            open = opensQuote(more.text(), true);
        }
        if (!open) {
            return new Chunk(text.toString(), first.number(), false);
        }
        // Unclosed: only the first line is the fault; the lines read after it are read again.
        while (!taken.isEmpty()) {
            pushedBack.push(taken.removeLast());
        }
        return new Chunk(first.text(), first.number(), true);
    }

    /** Gives back the lines after the first of a multi-line chunk, to be read again (the chunk turned out broken). */
    void retryAfterFirstLine(Chunk chunk) {
        String text = chunk.text();
        int cut = text.indexOf('\n');
        if (cut < 0 || cut == text.length() - 1) {
            return;
        }
        String rest = text.substring(cut + 1);
        Deque<Line> lines = new ArrayDeque<>();
        long number = chunk.line() + 1;
        int start = 0;
        while (start < rest.length()) {
            int end = rest.indexOf('\n', start);
            end = end < 0 ? rest.length() : end + 1;
            lines.add(new Line(rest.substring(start, end), number++));
            start = end;
        }
        while (!lines.isEmpty()) {
            pushedBack.push(lines.removeLast());
        }
    }

    /** Whether the quote state is open after this line, starting {@code inQuote}. */
    private static boolean opensQuote(String line, boolean inQuote) {
        boolean open = inQuote;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '"') {
                open = !open;
            }
        }
        return open;
    }

    private Line line() {
        if (!pushedBack.isEmpty()) {
            return pushedBack.pop();
        }
        if (eof) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        try {
            int c;
            while ((c = in.read()) >= 0) {
                b.append((char) c);
                if (c == '\n') {
                    break;
                }
                if (b.length() > MAX_RECORD_CHARS) {
                    break; // an over-long line is one chunk; the row check refuses it
                }
            }
            if (c < 0) {
                eof = true;
                if (b.isEmpty()) {
                    return null;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Line(b.toString(), ++lineNumber);
    }
}
