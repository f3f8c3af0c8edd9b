package io.tastemaker.attribution;

import io.tastemaker.api.InvalidInputException;
import io.tastemaker.engagement.EngagementEvent;
import io.tastemaker.engagement.EventCodec;
import io.tastemaker.streams.OffsetKeepingHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Credits the events of a batch that carry a recommId to the list they came from, in one
 * PostgreSQL transaction with the batch's offsets (as the engagement consumer does): a crash
 * anywhere replays the batch, records below the stored offsets are skipped, and an outcome is
 * credited once per (list, product, outcome) whatever the duplicates. An outcome whose list is not
 * recorded yet waits in {@code outcome_pending} (the API writes lists asynchronously); an unknown
 * or expired recommId, or a product the list did not serve, is counted as unattributed. Records
 * that break the contract are left to the engagement consumer, which dead-letters them; events of
 * erased shoppers are skipped. One instance per consumer thread.
 */
final class OutcomeProcessor implements OffsetKeepingHandler {

    private final String topic;
    private final EventCodec codec;
    private final OutcomeStore store;
    private final OutcomeMetrics metrics;
    private final AttributionConfig config;
    private final Supplier<Instant> clock;
    private volatile Runnable beforeCommit = () -> { };

    OutcomeProcessor(String topic, EventCodec codec, OutcomeStore store, OutcomeMetrics metrics, AttributionConfig config,
                     Supplier<Instant> clock) {
        this.topic = topic;
        this.codec = codec;
        this.store = store;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    /** One outcome an event claims for an item of a list. */
    private record Claim(ConsumerRecord<String, String> record, String recommId, String productId, Outcome outcome,
                         String userId, BigDecimal value, String currency) {
        Instant loggedAt() {
            return Instant.ofEpochMilli(record.timestamp());
        }
    }

    @Override
    public Map<TopicPartition, Long> resumeOffsets(Collection<TopicPartition> partitions) {
        return OffsetKeepingHandler.storedFor(partitions, store.offsets(topic));
    }

    @Override
    public void checkPosition() {
        // nothing rewinds outcomes: an engagement rebuild leaves them alone
    }

    @Override
    public List<Rejected> handle(List<ConsumerRecord<String, String>> batch) {
        List<Claim> claims = new ArrayList<>();
        Map<Integer, Long> nextOffsets = new HashMap<>();
        for (ConsumerRecord<String, String> record : batch) {
            nextOffsets.merge(record.partition(), record.offset() + 1, Math::max);
            EngagementEvent event;
            try {
                event = codec.decode(record.key(), record.value(), Instant.ofEpochMilli(record.timestamp()));
            } catch (InvalidInputException e) {
                continue; // the engagement consumer dead-letters it
            }
            claims.addAll(claims(record, event));
        }
        Instant waitSince = clock.get().minus(config.pendingGrace());
        Outcomes outcomes = store.inTransaction(tx -> {
            tx.holdOffErasures();
            Map<Integer, Long> stored = tx.lockOffsets(topic, nextOffsets.keySet());
            List<Claim> due = claims.stream()
                    .filter(c -> c.record().offset() >= stored.getOrDefault(c.record().partition(), 0L)).toList();
            Set<String> recommIds = new HashSet<>();
            due.forEach(c -> recommIds.add(c.recommId()));
            Map<String, ServedListRow> lists = tx.servedLists(recommIds);
            Set<String> users = new HashSet<>();
            due.forEach(c -> users.add(c.userId()));
            lists.values().forEach(l -> {
                if (l.userId() != null) {
                    users.add(l.userId());
                }
            });
            Set<String> erased = tx.erased(users);
            Outcomes result = new Outcomes();
            List<OutcomeStore.Credit> credits = new ArrayList<>();
            List<OutcomeStore.Pending> pending = new ArrayList<>();
            for (Claim c : due) {
                if (erased.contains(c.userId())) {
                    continue;
                }
                ServedListRow list = lists.get(c.recommId());
                if (list == null && c.loggedAt().isAfter(waitSince)) {
                    pending.add(new OutcomeStore.Pending(c.recommId(), c.productId(), c.outcome(), c.userId(), c.value(),
                            c.currency(), c.loggedAt()));
                } else if (list == null) {
                    result.unattributed(c.loggedAt(), c.outcome(), OutcomeStore.Unattributed.UNKNOWN_RECOMM_ID);
                } else if (!list.serves(c.productId())) {
                    result.unattributed(c.loggedAt(), c.outcome(), OutcomeStore.Unattributed.PRODUCT_NOT_IN_LIST);
                } else {
                    credits.add(new OutcomeStore.Credit(list, c.productId(), c.outcome(), c.value(), c.currency()));
                }
            }
            // pending rows before credits, as the job that settles them: one lock order, no deadlock between them
            tx.addPending(pending);
            result.credit(tx, credits, erased, config.currency());
            tx.addUnattributed(result.unattributed);
            tx.saveOffsets(topic, nextOffsets);
            beforeCommit.run();
            return result;
        });
        outcomes.report(metrics);
        return List.of();
    }

    private static List<Claim> claims(ConsumerRecord<String, String> record, EngagementEvent event) {
        EngagementEvent.Attribution a = event.attribution();
        var outcome = Outcome.of(event.type());
        if (a == null || outcome.isEmpty()) {
            return List.of();
        }
        List<String> products = a.productIds() != null ? a.productIds() : List.of(event.productId());
        List<Claim> claims = new ArrayList<>(products.size());
        for (String productId : products) {
            claims.add(new Claim(record, a.recommId(), productId, outcome.get(), event.userId(), a.value(), a.currency()));
        }
        return claims;
    }

    /**
     * What one step credited and could not credit, for the aggregates and the metrics. Shared with
     * {@link OutcomeJobs}, which credits the outcomes that waited for their list.
     */
    static final class Outcomes {
        final Map<OutcomeStore.UnattributedKey, Long> unattributed = new HashMap<>();
        final List<OutcomeStore.Credit> credited = new ArrayList<>();
        long duplicates;

        void unattributed(Instant loggedAt, Outcome outcome, OutcomeStore.Unattributed reason) {
            LocalDate day = loggedAt.atZone(ZoneOffset.UTC).toLocalDate();
            unattributed.merge(new OutcomeStore.UnattributedKey(day, outcome, reason), 1L, Long::sum);
        }

        /** Credits what was not credited before, to the aggregates and (unless erased) to the experiment's shopper. */
        void credit(OutcomeStore.Tx tx, List<OutcomeStore.Credit> credits, Set<String> erased, String currency) {
            List<OutcomeStore.Credit> fresh = tx.credit(credits);
            duplicates += credits.size() - fresh.size();
            Tally tally = new Tally(currency);
            for (OutcomeStore.Credit c : fresh) {
                tally.credit(c.list(), c.productId(), c.outcome(), c.value(), c.currency(), !erased.contains(c.list().userId()));
            }
            tx.add(tally);
            credited.addAll(fresh);
        }

        void report(OutcomeMetrics metrics) {
            credited.forEach(c -> metrics.credited(c.list().placement(), c.outcome()));
            unattributed.forEach((k, n) -> metrics.unattributed(k.outcome(), k.reason(), n));
            metrics.duplicates(duplicates);
        }
    }
}
