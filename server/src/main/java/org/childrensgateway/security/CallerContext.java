package org.childrensgateway.security;

import java.util.Optional;

/**
 * The caller of the request being handled on this thread. Set by the security filter after the
 * token is checked, cleared when the request ends; background work (ingest jobs) sets the caller
 * that submitted it.
 */
public final class CallerContext {

    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    private CallerContext() {
    }

    public static Optional<Caller> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** The caller, or an exception: code that needs a caller must never run without one (fail closed). */
    public static Caller require() {
        Caller caller = CURRENT.get();
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on this thread");
        }
        return caller;
    }

    public static void set(Caller caller) {
        CURRENT.set(caller);
    }

    public static void clear() {
        CURRENT.remove();
    }

    /** Runs {@code work} as {@code caller}, restoring the previous caller afterwards. */
    public static <T> T runAs(Caller caller, java.util.function.Supplier<T> work) {
        Caller previous = CURRENT.get();
        CURRENT.set(caller);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
