package org.childrensgateway.export;

import jakarta.servlet.http.HttpServletResponse;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Vendor systems pull their own format: {@code GET /export/{feed}/{file}?since=...}. The response
 * header {@code X-Export-Until} is the {@code since} to send next time, so each pull gets only what
 * changed after the previous one.
 */
@RestController
@RequestMapping("/export")
public class ExportController {

    private final ExportService exports;

    public ExportController(ExportService exports) {
        this.exports = exports;
    }

    @GetMapping("/{feed}/{file}")
    public void export(@PathVariable String feed, @PathVariable String file, @RequestParam(required = false) String since,
                       @RequestParam(required = false) String centre, HttpServletResponse response) throws Exception {
        Map<String, String> context = new HashMap<>();
        if (centre != null) {
            context.put("CentreCode", centre);
        }
        context.putIfAbsent("Reason", "BIRTH");
        context.putIfAbsent("SharedUnder", "LIVE-BIRTH-ISP");
        ExportRequest request = new ExportRequest(feed, file, parse(since), null, context);
        // Written to a buffer first so that a failure gives a clean error, not half a file.
        StringWriter buffer = new StringWriter();
        ExportService.Result result = exports.export(request, buffer);
        response.setContentType(feed.equals("systmone") ? "application/xml;charset=UTF-8" : "text/csv;charset=UTF-8");
        response.setHeader("X-Export-Records", Integer.toString(result.written()));
        response.setHeader("X-Export-Withheld", Integer.toString(result.withheld()));
        response.setHeader("X-Export-More", Boolean.toString(result.more()));
        // Children whose data waits until the receiver's own record links to them (never a blank id in a file).
        response.setHeader("X-Export-Held", Integer.toString(result.held()));
        if (result.until() != null) {
            response.setHeader("X-Export-Until", result.until().toString());
        }
        try (OutputStreamWriter out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8)) {
            out.write(buffer.toString());
        }
    }

    private static Instant parse(String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'since' must be an instant such as 2026-11-01T02:00:00Z (use X-Export-Until from the previous pull)");
        }
    }
}
