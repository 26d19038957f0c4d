package org.childrensgateway.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went in a JFR recording (jdk.ExecutionSample): the hottest methods by samples on top
 * of the stack (self) and by samples anywhere in the stack (total), as a share of all samples.
 * JDK 17's {@code jfr} tool has no hot-methods view, so this is it.
 */
final class JfrSummary {

    private JfrSummary() {
    }

    static String summarise(Path recording, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    total.merge(n, 1, Integer::sum);
                }
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("samples: ").append(samples).append('\n');
        b.append("-- self (top of stack) --\n");
        append(b, self, samples, top, null);
        b.append("-- total (anywhere in stack), gateway and library entry points --\n");
        append(b, total, samples, top * 2, n -> n.startsWith("org.childrensgateway.") || n.contains("validation")
                || n.startsWith("ca.uhn.fhir.parser.") || n.startsWith("ca.uhn.fhir.fhirpath") || n.startsWith("org.hl7.fhir.r4.fhirpath")
                || n.startsWith("org.postgresql.") || n.startsWith("org.springframework.security.") || n.contains("Liquibase"));
        return b.toString();
    }

    private static void append(StringBuilder b, Map<String, Integer> counts, int samples, int top,
                               java.util.function.Predicate<String> filter) {
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().filter(e -> filter == null || filter.test(e.getKey()))
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.forEach((k, v) -> b.append(String.format("%6.1f%%  %s%n", 100.0 * v / Math.max(1, samples), k)));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
