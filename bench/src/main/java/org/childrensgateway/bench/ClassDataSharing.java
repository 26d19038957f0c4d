package org.childrensgateway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Start-up with a class-data-sharing archive, the way docs/operations.md describes it: the jar
 * extracted ({@code -Djarmode=tools extract}), one training start that runs until ready and is then
 * stopped with SIGTERM ({@code -XX:ArchiveClassesAtExit} writes the archive as the JVM exits), and
 * the gateway started again from the extracted jar with {@code -XX:SharedArchiveFile}. Classes then
 * come mapped from the archive instead of being read from jars, verified and parsed on every start.
 */
final class ClassDataSharing {

    private final Path extractedJar;
    private final Path archive;

    private ClassDataSharing(Path extractedJar, Path archive) {
        this.extractedJar = extractedJar;
        this.archive = archive;
    }

    /** Extracts {@code jar} under {@code dir} and runs the training start; the archive is then ready to use. */
    static ClassDataSharing train(Path jar, Path dir, String heap) throws Exception {
        Path app = dir.resolve("app").toAbsolutePath();
        Files.createDirectories(dir);
        run(List.of("java", "-Djarmode=tools", "-jar", jar.toAbsolutePath().toString(), "extract", "--force",
                "--destination", app.toString()), dir.resolve("extract.log"));
        Path extracted = app.resolve(jar.getFileName());
        Path archive = dir.resolve("gateway.jsa").toAbsolutePath();
        Files.deleteIfExists(archive);
        try (Gateway training = new Gateway(extracted, dir.resolve("training"), heap, true, dir.resolve("training.log"),
                List.of("-XX:ArchiveClassesAtExit=" + archive))) {
            training.awaitReady(Duration.ofMinutes(3));
        }
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("the training start wrote no archive (see " + dir.resolve("training.log") + ")");
        }
        return new ClassDataSharing(extracted, archive);
    }

    Path jar() {
        return extractedJar;
    }

    /** The options that make a JVM map the archive (and say nothing if the archive cannot be used). */
    List<String> jvmOptions() {
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    long archiveBytes() throws Exception {
        return Files.size(archive);
    }

    private static void run(List<String> cmd, Path log) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed (see " + log + ")");
        }
    }
}
