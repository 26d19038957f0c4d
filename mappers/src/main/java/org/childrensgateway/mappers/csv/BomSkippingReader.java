package org.childrensgateway.mappers.csv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/** UTF-8 reader that drops a leading byte-order mark, so the first header name matches. */
public final class BomSkippingReader {

    private BomSkippingReader() {
    }

    /**
     * What stands for bytes that are not UTF-8: U+FFFF is a noncharacter, so unlike U+FFFD it cannot
     * be a legitimate value, and a reader can quarantine the record instead of storing a changed one.
     */
    public static final char MALFORMED = '\uFFFF';

    public static Reader open(InputStream in) throws IOException {
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE)
                .replaceWith(String.valueOf(MALFORMED));
        BufferedReader r = new BufferedReader(new InputStreamReader(in, decoder));
        r.mark(1);
        int first = r.read();
        if (first != '\uFEFF' && first != -1) {
            r.reset();
        }
        return r;
    }
}
