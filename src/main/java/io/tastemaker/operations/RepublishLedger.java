package io.tastemaker.operations;

import io.tastemaker.db.BlockingSql;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which dead letters were sent back to their source topic, by whom and where they landed (V14,
 * {@code dead_letter_republishes}). A dead letter is claimed before it is sent: of two requests
 * for the same one, only one sends it. A claim whose send failed is released; one left by a
 * process that died before the broker answered can be taken again after {@link #STALE_CLAIM}.
 * Blocking: call from worker threads.
 */
@ApplicationScoped
class RepublishLedger {

    static final Duration STALE_CLAIM = Duration.ofMinutes(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Pool pool;

    RepublishLedger(Pool pool) {
        this.pool = pool;
    }

    /** A dead letter's place: {@code topic/partition@offset}. */
    record Place(String topic, int partition, long offset) {
        String address() {
            return topic + "/" + partition + "@" + offset;
        }
    }

    /** A republish: who, when it was claimed, and once acknowledged, when and where it landed. */
    record Entry(String by, Instant claimedAt, Instant republishedAt, Integer partition, Long offset) {
        boolean acknowledged() {
            return republishedAt != null;
        }
    }

    /** Claims the dead letter for {@code by}; empty when someone else holds it (sent, or being sent). */
    boolean claim(Place place, String sourceTopic, String by) {
        return BlockingSql.query(pool, "INSERT INTO dead_letter_republishes"
                + " (dead_letter_topic, dead_letter_partition, dead_letter_offset, source_topic, republished_by)"
                + " VALUES ($1, $2, $3, $4, $5)"
                + " ON CONFLICT (dead_letter_topic, dead_letter_partition, dead_letter_offset) DO UPDATE"
                + " SET republished_by = excluded.republished_by, claimed_at = now()"
                + " WHERE dead_letter_republishes.republished_at IS NULL"
                + " AND dead_letter_republishes.claimed_at < now() - make_interval(secs => $6)"
                + " RETURNING 1",
                Tuple.of(place.topic(), place.partition(), place.offset(), sourceTopic, by)
                        .addDouble((double) STALE_CLAIM.toSeconds()), TIMEOUT).rowCount() == 1;
    }

    void acknowledged(Place place, int partition, long offset) {
        BlockingSql.query(pool, "UPDATE dead_letter_republishes SET republished_at = now(), republished_partition = $4,"
                + " republished_offset = $5 WHERE dead_letter_topic = $1 AND dead_letter_partition = $2"
                + " AND dead_letter_offset = $3",
                Tuple.of(place.topic(), place.partition(), place.offset(), partition, offset), TIMEOUT);
    }

    /** The send failed: the dead letter may be sent again at once. */
    void release(Place place) {
        BlockingSql.query(pool, "DELETE FROM dead_letter_republishes WHERE dead_letter_topic = $1"
                + " AND dead_letter_partition = $2 AND dead_letter_offset = $3 AND republished_at IS NULL",
                Tuple.of(place.topic(), place.partition(), place.offset()), TIMEOUT);
    }

    Optional<Entry> find(Place place) {
        return Optional.ofNullable(find(place.topic(), java.util.List.of(place)).get(place));
    }

    /** The entries of these places of one dead-letter topic. */
    Map<Place, Entry> find(String topic, Collection<Place> places) {
        Map<Place, Entry> found = new HashMap<>();
        if (places.isEmpty()) {
            return found;
        }
        for (Row row : BlockingSql.query(pool, "SELECT dead_letter_partition, dead_letter_offset, republished_by,"
                + " claimed_at, republished_at, republished_partition, republished_offset FROM dead_letter_republishes"
                + " WHERE dead_letter_topic = $1 AND dead_letter_offset = ANY($2)",
                Tuple.of(topic, places.stream().map(Place::offset).toArray(Long[]::new)), TIMEOUT)) {
            Place place = new Place(topic, row.getInteger(0), row.getLong(1));
            if (places.contains(place)) {
                found.put(place, new Entry(row.getString(2), BlockingSql.instant(row.getOffsetDateTime(3)),
                        BlockingSql.instant(row.getOffsetDateTime(4)), row.getInteger(5), row.getLong(6)));
            }
        }
        return found;
    }
}
