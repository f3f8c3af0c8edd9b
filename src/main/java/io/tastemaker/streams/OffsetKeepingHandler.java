package io.tastemaker.streams;

import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * A handler that stores the offsets it consumed in the same transaction as the state they
 * produced. Its state and its position can then never disagree: after a crash, a rebalance or a
 * rebuild the loop resumes exactly where the stored state ends, and a batch is applied entirely
 * or not at all. The group's own commits are kept only for lag monitoring.
 */
public interface OffsetKeepingHandler extends BatchHandler {

    /**
     * Where to resume each of these partitions: the stored next offset; a partition missing from
     * the answer starts at the beginning of the log. Called on assignment and after a {@link Rewind}.
     */
    Map<TopicPartition, Long> resumeOffsets(Collection<TopicPartition> partitions);

    /** The resume offsets of {@code partitions} from the next offsets stored per partition number. */
    static Map<TopicPartition, Long> storedFor(Collection<TopicPartition> partitions, Map<Integer, Long> stored) {
        Map<TopicPartition, Long> resume = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long next = stored.get(tp.partition());
            if (next != null) {
                resume.put(tp, next);
            }
        }
        return resume;
    }

    /**
     * Called while the consumer is idle (about once a second): throws {@link Rewind} if the stored
     * position moved under it, so that a rebuild starts without waiting for new records.
     */
    void checkPosition();

    /** Thrown by a handler whose stored position moved under it (a rebuild): drop the batch, resume from the store. */
    final class Rewind extends RuntimeException {
        public Rewind(String reason) {
            super(reason, null, false, false);
        }
    }
}
