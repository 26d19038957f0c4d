package org.childrensgateway.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the audit trail. Requests hand their records to one writer thread and wait for
 * the commit that stores them, so every access is still in the trail before its response is
 * complete. While one group commits (one transaction, one WAL flush, one turn of the chain head's
 * lock), the next group gathers; under load a commit carries many records instead of one. A group
 * that fails is retried record by record, so one record's fault fails only its own request. Once
 * closed (shutdown), a record is stored on its caller's thread, so nothing depends on the order in
 * which the application's parts stop.
 */
final class AuditGroupCommit<T> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditGroupCommit.class);

    private record Pending<T>(T item, CompletableFuture<Void> done) {
    }

    private final BlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
    private final Consumer<List<T>> writeInOneTransaction;
    private final int maxGroup;
    private final long waitSeconds;
    private final Thread writer;
    private volatile boolean closed;

    /**
     * @param writeInOneTransaction stores all the items in one transaction, or throws and stores none
     * @param maxGroup              most records in one commit
     * @param waitSeconds           longest a request waits for its commit before it fails (closed: no response unaudited)
     */
    AuditGroupCommit(Consumer<List<T>> writeInOneTransaction, int maxGroup, long waitSeconds) {
        this.writeInOneTransaction = writeInOneTransaction;
        this.maxGroup = maxGroup;
        this.waitSeconds = waitSeconds;
        this.writer = new Thread(this::run, "audit-group-commit");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Returns once the item is committed; throws if it could not be stored. */
    void store(T item) {
        if (closed) {
            // Shutting down: whatever still runs (a job finishing) stores its own record, as before grouping.
            writeInOneTransaction.accept(List.of(item));
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending<>(item, done));
        try {
            done.get(waitSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the audit record was being stored", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the audit record was not stored within " + waitSeconds + " s", e);
        }
    }

    private void run() {
        List<Pending<T>> group = new ArrayList<>(maxGroup);
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<T> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
                commit(group);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } catch (RuntimeException | Error e) {
                // Never leave a request waiting on a record the writer dropped.
                group.forEach(p -> p.done().completeExceptionally(e));
                log.error("Audit group commit failed: {}", e.getClass().getTypeName());
            } finally {
                group.clear();
            }
        }
    }

    private void commit(List<Pending<T>> group) {
        try {
            writeInOneTransaction.accept(group.stream().map(Pending::item).toList());
            group.forEach(p -> p.done().complete(null));
        } catch (RuntimeException groupFailure) {
            if (group.size() == 1) {
                group.get(0).done().completeExceptionally(groupFailure);
                return;
            }
            for (Pending<T> p : group) {
                try {
                    writeInOneTransaction.accept(List.of(p.item()));
                    p.done().complete(null);
                } catch (RuntimeException e) {
                    p.done().completeExceptionally(e);
                }
            }
        }
    }

    /** Records waiting for the writer (for tests and metrics). */
    int queued() {
        return queue.size();
    }

    /** Stores what is queued, then stops. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(waitSeconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending<T> left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new IllegalStateException("the audit writer stopped before storing this record"));
        }
    }
}
