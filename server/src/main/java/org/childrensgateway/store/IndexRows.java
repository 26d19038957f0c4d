package org.childrensgateway.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The search index rows extracted from one resource version; written with it in one transaction. */
public final class IndexRows {

    public record Token(String name, String system, String code) {

        /** The code as indexed: up to the column's 255 characters (every writer of token rows stores this). */
        public String indexedCode() {
            return code.length() <= 255 ? code : code.substring(0, 255);
        }
    }

    public record Str(String name, String normalised, String exact) {
    }

    public record DateRange(String name, Instant low, Instant high) {
    }

    public record Ref(String name, String targetType, String targetId) {
    }

    public final List<Token> tokens = new ArrayList<>();
    public final List<Str> strings = new ArrayList<>();
    public final List<DateRange> dates = new ArrayList<>();
    public final List<Ref> references = new ArrayList<>();
}
