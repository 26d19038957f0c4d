package org.childrensgateway.mappers.xml;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * Decodes UTF-8 for the XML parser without letting a bad byte end the document: bytes that are
 * not UTF-8, and NUL (which XML cannot carry), become U+FFFD and their character offsets are kept,
 * so the record element they fall in is quarantined instead of being stored changed, and the
 * records around it are read as usual.
 */
final class MarkingUtf8Reader extends Reader {

    static final String INVALID_UTF8 = "invalid-utf8";
    static final String NUL = "nul-character";

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(8192);
    private final CharBuffer chars = CharBuffer.allocate(8192);
    /** Character offset of each replaced character, with why. */
    private final TreeMap<Long, String> marks = new TreeMap<>();
    private long emitted;
    private boolean eof;
    private boolean first = true;

    MarkingUtf8Reader(InputStream in) {
        this.in = in;
        bytes.flip();
        chars.flip();
    }

    /** The first fault at a character offset in [from, to], or null. */
    String faultBetween(long from, long to) {
        var entry = marks.ceilingEntry(from);
        return entry != null && entry.getKey() <= to ? entry.getValue() : null;
    }

    @Override
    public int read(char[] buffer, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, chars.remaining());
        chars.get(buffer, off, n);
        return n;
    }

    /** Decodes more characters into {@code chars} (perhaps none yet); false at the end. */
    private boolean fill() throws IOException {
        chars.clear();
        if (!bytes.hasRemaining() && !eof) {
            readBytes();
        }
        if (!bytes.hasRemaining() && eof) {
            chars.flip();
            return false;
        }
        CoderResult result = decoder.decode(bytes, chars, eof);
        if (result.isUnderflow() && !eof && chars.position() == 0) {
            readBytes(); // only an incomplete sequence was left: read on
            result = decoder.decode(bytes, chars, eof);
        }
        long invalidAt = -1;
        if (result.isError() && chars.hasRemaining()) {
            bytes.position(bytes.position() + result.length());
            invalidAt = chars.position();
            chars.put('\uFFFD');
        } else if (eof && !bytes.hasRemaining()) {
            decoder.flush(chars);
        }
        chars.flip();
        if (first && chars.hasRemaining() && chars.get(chars.position()) == '\uFEFF') {
            chars.get(); // a byte-order mark is not part of the document
            invalidAt--;
        }
        if (chars.hasRemaining()) {
            first = false;
        }
        int start = chars.position();
        if (invalidAt >= 0) {
            marks.putIfAbsent(emitted + invalidAt, INVALID_UTF8);
        }
        for (int i = start; i < chars.limit(); i++) {
            if (chars.get(i) == 0) {
                chars.put(i, '\uFFFD');
                marks.putIfAbsent(emitted + (i - start), NUL);
            }
        }
        emitted += chars.remaining();
        return true;
    }

    private void readBytes() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            eof = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    @Override
    public void close() {
        // The caller owns the stream.
    }
}
