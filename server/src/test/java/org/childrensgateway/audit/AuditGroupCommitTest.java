package org.childrensgateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The group commit's contract: a store returns only after its own group committed; a fault fails only its record. */
class AuditGroupCommitTest {

    @Test
    void recordsThatArriveDuringACommitShareTheNextOne() throws Exception {
        List<List<Integer>> commits = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstCommitHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (AuditGroupCommit<Integer> writer = new AuditGroupCommit<>(group -> {
            if (group.contains(0)) {
                firstCommitHeld.countDown();
                await(release);
            }
            commits.add(List.copyOf(group));
        }, 64, 10)) {
            ExecutorService pool = Executors.newFixedThreadPool(11);
            try {
                Future<?> first = pool.submit(() -> writer.store(0));
                assertThat(firstCommitHeld.await(5, TimeUnit.SECONDS)).isTrue();
                List<Future<?>> waiting = new ArrayList<>();
                for (int i = 1; i <= 10; i++) {
                    int n = i;
                    waiting.add(pool.submit(() -> writer.store(n)));
                }
                while (writer.queued() < 10) {
                    Thread.sleep(5);
                }
                // Nobody returns before their record is committed.
                assertThat(first.isDone()).isFalse();
                assertThat(waiting).noneMatch(Future::isDone);
                release.countDown();
                first.get(5, TimeUnit.SECONDS);
                for (Future<?> f : waiting) {
                    f.get(5, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(commits).hasSize(2);
        assertThat(commits.get(0)).containsExactly(0);
        assertThat(commits.get(1)).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }

    @Test
    void aRecordThatCannotBeStoredFailsItsOwnRequestOnly() throws Exception {
        List<Integer> stored = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (AuditGroupCommit<Integer> writer = new AuditGroupCommit<>(group -> {
            if (group.contains(0)) {
                held.countDown();
                await(release);
            }
            if (group.contains(13)) {
                throw new IllegalStateException("poison"); // the whole transaction rolls back
            }
            stored.addAll(group);
        }, 64, 10)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                Future<?> first = pool.submit(() -> writer.store(0));
                held.await(5, TimeUnit.SECONDS);
                Future<?> a = pool.submit(() -> writer.store(12));
                Future<?> poison = pool.submit(() -> writer.store(13));
                Future<?> b = pool.submit(() -> writer.store(14));
                while (writer.queued() < 3) {
                    Thread.sleep(5);
                }
                release.countDown();
                first.get(5, TimeUnit.SECONDS);
                a.get(5, TimeUnit.SECONDS);
                b.get(5, TimeUnit.SECONDS);
                assertThatThrownBy(() -> poison.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("poison");
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(stored).containsExactlyInAnyOrder(0, 12, 14);
    }

    @Test
    void afterShutdownARecordIsStoredOnItsCallersThreadNeverDropped() {
        List<String> storedBy = Collections.synchronizedList(new ArrayList<>());
        AuditGroupCommit<Integer> writer = new AuditGroupCommit<>(group -> storedBy.add(Thread.currentThread().getName()), 8, 1);
        writer.store(1);
        writer.close();
        writer.store(2);
        assertThat(storedBy).containsExactly("audit-group-commit", Thread.currentThread().getName());
        AuditGroupCommit<Integer> failing = new AuditGroupCommit<>(group -> {
            throw new IllegalStateException("database down");
        }, 8, 1);
        failing.close();
        assertThatThrownBy(() -> failing.store(3)).hasMessage("database down");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
