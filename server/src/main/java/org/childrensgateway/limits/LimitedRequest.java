package org.childrensgateway.limits;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The request as the endpoints see it: its body counted against the limit, and inflated here if it
 * was sent compressed, so the endpoint gets plain bytes and no {@code Content-Encoding} (HAPI would
 * otherwise inflate it again, all at once, into memory).
 */
final class LimitedRequest extends HttpServletRequestWrapper {

    private final java.util.function.UnaryOperator<InputStream> limit;
    private final boolean decoded;
    private InputStream body;
    private ServletInputStream stream;

    /**
     * {@code limit} wraps the container's stream when the body is first read, not before: a form
     * post ({@code _search}) is read by the container's own parameter parsing, which it skips once
     * the stream has been asked for.
     */
    LimitedRequest(HttpServletRequest request, java.util.function.UnaryOperator<InputStream> limit, boolean decoded) {
        super(request);
        this.limit = limit;
        this.decoded = decoded;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (stream == null) {
            body = limit.apply(super.getInputStream());
            stream = new ServletInputStream() {
                private boolean finished;

                @Override
                public int read() throws IOException {
                    int b = body.read();
                    finished = b < 0;
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = body.read(b, off, len);
                    finished = n < 0;
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return finished;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("asynchronous reads are not used");
                }
            };
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        String encoding = getCharacterEncoding();
        Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    @Override
    public String getHeader(String name) {
        if (decoded && hidden(name)) {
            return null;
        }
        return super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        if (decoded && hidden(name)) {
            return Collections.emptyEnumeration();
        }
        return super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        if (!decoded) {
            return super.getHeaderNames();
        }
        List<String> names = Collections.list(super.getHeaderNames()).stream().filter(n -> !hidden(n)).toList();
        return Collections.enumeration(names);
    }

    @Override
    public int getContentLength() {
        return decoded ? -1 : super.getContentLength();
    }

    @Override
    public long getContentLengthLong() {
        return decoded ? -1 : super.getContentLengthLong();
    }

    private static boolean hidden(String header) {
        return "content-encoding".equalsIgnoreCase(header) || "content-length".equalsIgnoreCase(header);
    }
}
