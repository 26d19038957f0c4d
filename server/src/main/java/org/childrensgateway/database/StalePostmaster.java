package org.childrensgateway.database;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clears what a gateway killed with {@code kill -9} leaves in its embedded PostgreSQL data folder,
 * so the next start succeeds first time: the orphaned postmaster (still running, still holding
 * {@code postmaster.pid}) is shut down, and a {@code postmaster.pid} naming a process that is not
 * PostgreSQL for this folder (its number reused after a reboot) is removed.
 *
 * <p>Safe against a second gateway on the same folder: the embedded library holds an OS lock on
 * {@code epg-lock} while its gateway lives (released by the kernel when that process dies); if the
 * lock is held, nothing is touched and start-up fails with a clear message.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);
    private static final Duration FAST_SHUTDOWN = Duration.ofSeconds(30);

    private StalePostmaster() {
    }

    static void clear(Path dataDir) throws IOException {
        Path lockFile = dataDir.resolve("epg-lock");
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(lockFile.toFile(), "rw");
             FileChannel channel = raf.getChannel()) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("Another gateway process is using the embedded PostgreSQL in " + dataDir);
            }
            try {
                Optional<ProcessHandle> postmaster = postmasterOf(pidFile, dataDir);
                if (postmaster.isPresent()) {
                    stop(postmaster.get());
                } else {
                    // Dead or reused process number: PostgreSQL refuses to start while another live
                    // process has the number in postmaster.pid, so the stale file goes.
                    Files.deleteIfExists(pidFile);
                    log.warn("Removed a stale postmaster.pid from {}", dataDir);
                }
            } finally {
                lock.release();
            }
        }
    }

    /** The live PostgreSQL process {@code postmaster.pid} names, if it serves this data folder. */
    static Optional<ProcessHandle> postmasterOf(Path pidFile, Path dataDir) throws IOException {
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        boolean sameDir = Path.of(lines.get(1).trim()).normalize().equals(dataDir.normalize());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> sameDir && isPostgres(p, dataDir));
    }

    private static boolean isPostgres(ProcessHandle process, Path dataDir) {
        String command = process.info().command().orElse("");
        String commandLine = process.info().commandLine().orElse(command);
        return command.endsWith("postgres") && commandLine.contains(dataDir.toString());
    }

    /**
     * SIGTERM (a smart shutdown; the dead gateway's sessions are gone, so it is quick and writes a
     * shutdown checkpoint); SIGKILL of the whole process tree only if it does not end in time,
     * after which the next start runs PostgreSQL's own crash recovery from the WAL.
     */
    private static void stop(ProcessHandle postmaster) {
        log.warn("Stopping an orphaned embedded PostgreSQL (pid {}) left by a gateway that did not shut down", postmaster.pid());
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroy();
        if (!waitFor(postmaster, FAST_SHUTDOWN)) {
            log.warn("Orphaned PostgreSQL (pid {}) did not stop within {}; killing it", postmaster.pid(), FAST_SHUTDOWN);
            postmaster.destroyForcibly();
            waitFor(postmaster, Duration.ofSeconds(10));
        }
        // Backends left without their postmaster would keep its shared memory in use.
        for (ProcessHandle child : children) {
            child.destroyForcibly();
            waitFor(child, Duration.ofSeconds(10));
        }
    }

    private static boolean waitFor(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        }
    }
}
