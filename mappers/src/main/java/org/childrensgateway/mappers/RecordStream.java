package org.childrensgateway.mappers;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazily read sequence of mapped records over one input file. Only the current record is held in
 * memory. Iterate once; close it (try-with-resources) to release the input.
 */
public interface RecordStream extends Iterable<MappedRecord>, AutoCloseable {

    default Stream<MappedRecord> stream() {
        Iterator<MappedRecord> it = iterator();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }

    @Override
    void close();
}
