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

    public static Reader open(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        r.mark(1);
        int first = r.read();
        if (first != '\uFEFF' && first != -1) {
            r.reset();
        }
        return r;
    }
}
