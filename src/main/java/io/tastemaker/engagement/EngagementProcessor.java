package io.tastemaker.engagement;

import io.tastemaker.models.experiments.Split;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.profiles.ProfileService;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.streams.OffsetKeepingHandler;
import io.tastemaker.vectors.VectorRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Turns a batch of engagement records into profile, co-engagement and trending updates, in one
 * PostgreSQL transaction together with the offsets consumed, so that a crash anywhere replays
 * the batch without counting anything twice. A retried event (same eventId) counts once within
 * the dedupe window. Records that break the contract are returned as rejects, which the
 * consumer loop sends to the dead-letter topic (see {@link #handle}). One instance per consumer
 * thread: it remembers the rebuild generation its consumer resumed from.
 * <p>Impressions are left out here: what was merely seen says nothing about taste, so it changes
 * no profile, link, trending score, query link or experiment tally (the outcome consumer counts them).
 * <p>Events of erased shoppers (the erasure list, V10) are skipped whenever they arrive, live or
 * replayed: the list is read once per batch inside the batch's transaction, which an erasure
 * cannot commit under (both take the generation row), so no batch writes a shopper back after
 * their erasure and no event costs a round trip of its own.
 */
final class EngagementProcessor implements OffsetKeepingHandler {

    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final String topic;
    private final EventCodec codec;
    private final EngagementStore store;
    private final Supplier<ActiveModel.Serving> serving;
    private final Supplier<Split> experiment;
    private final ProfileService profiles;
    private final EngagementConfig config;
    private final CoEngagement coEngagement;
    private final Trending trending;
    private final Map<EventType, Counter> applied = new EnumMap<>(EventType.class);
    private final Counter duplicates;
    private final Counter erasedSkipped;
    private final Timer freshness;
    private volatile Runnable beforeCommit = () -> { };
    private long generation = -1;
    private long lastPruneMillis;

    EngagementProcessor(String topic, EventCodec codec, EngagementStore store,
                        Supplier<ActiveModel.Serving> serving, Supplier<Split> experiment, ProfileService profiles,
                        EngagementConfig config, MeterRegistry registry) {
        this.topic = topic;
        this.codec = codec;
        this.store = store;
        this.serving = serving;
        this.experiment = experiment;
        this.profiles = profiles;
        this.config = config;
        this.coEngagement = new CoEngagement(config.coEngagement().window(), config.coEngagement().stepDecay());
        this.trending = new Trending(config.trendingHalfLife());
        for (EventType type : EventType.values()) {
            if (!type.engages()) {
                continue;
            }
            applied.put(type, Counter.builder("tastemaker.engagement.events").tag("type", type.wireName())
                    .description("Engagement events applied to profiles, co-engagement and trending").register(registry));
        }
        this.duplicates = Counter.builder("tastemaker.engagement.duplicates")
                .description("Events skipped because their eventId was already applied").register(registry);
        this.erasedSkipped = Counter.builder("tastemaker.engagement.erased")
                .description("Events skipped because their shopper was erased (a storefront still sending them)")
                .register(registry);
        this.freshness = Timer.builder("tastemaker.engagement.freshness")
                .description("From an event's append to the engagement topic to its effects being committed")
                .publishPercentiles(0.5, 0.99)
                // percentiles over the last 20-30 s: recent enough to alert on, long enough to be stable
                .distributionStatisticExpiry(Duration.ofSeconds(30)).distributionStatisticBufferLength(3)
                .register(registry);
    }

    /** A test hook that runs inside the transaction, just before it commits. */
    void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    @Override
    public Map<TopicPartition, Long> resumeOffsets(Collection<TopicPartition> partitions) {
        generation = store.generation();
        return OffsetKeepingHandler.storedFor(partitions, store.offsets(topic));
    }

    @Override
    public void checkPosition() {
        long stored = store.generation();
        if (stored != generation) {
            throw new Rewind("engagement state was rebuilt (generation " + stored + ")");
        }
    }

    private record Decoded(ConsumerRecord<String, String> record, EngagementEvent event) {
    }

    /**
     * Applies the batch and answers its rejects: every record of the batch that breaks the
     * contract, except an erased shopper's (a dead-letter topic is no place to keep them). The
     * rejects are answered even when the stored offsets already passed them (a batch delivered
     * again): if the loop fails to dead-letter them, it hands the same batch back, and this
     * answers them again while applying nothing twice. So a malformed record reaches the
     * dead-letter topic at least once, unless the process dies between this commit and the
     * broker's acknowledgement; it then stays on the engagement topic, as every record does.
     * Dead-lettering inside the transaction closed that gap, but at the price of a second
     * dead-letter path and of duplicates whenever the transaction rolled back.
     */
    @Override
    public List<Rejected> handle(List<ConsumerRecord<String, String>> batch) {
        List<Decoded> decoded = new ArrayList<>(batch.size());
        List<Rejected> rejected = new ArrayList<>();
        for (ConsumerRecord<String, String> record : batch) {
            try {
                EngagementEvent event = codec.decode(record.key(), record.value(), Instant.ofEpochMilli(record.timestamp()));
                // impressions are measurement (the outcome consumer's), never taste: skipped before dedupe ids are kept
                if (event.type().engages()) {
                    decoded.add(new Decoded(record, event));
                }
            } catch (InvalidInputException e) {
                rejected.add(new Rejected(record, e.getMessage()));
            }
        }
        Set<String> productIds = new HashSet<>();
        decoded.forEach(d -> productIds.add(d.event().productId()));
        // one model version for the whole batch: a promotion meanwhile never mixes two spaces in a profile
        ActiveModel.Serving model = serving.get();
        Map<String, VectorRecord> products = model.index().get(productIds);

        Map<Integer, Long> nextOffsets = new HashMap<>();
        for (ConsumerRecord<String, String> record : batch) {
            nextOffsets.merge(record.partition(), record.offset() + 1, Math::max);
        }
        Set<String> shoppers = new HashSet<>();
        decoded.forEach(d -> shoppers.add(d.event().userId()));
        rejected.forEach(r -> {
            if (r.record().key() != null) {
                shoppers.add(r.record().key());
            }
        });
        List<Decoded> applicable = new ArrayList<>();
        List<Rejected> toDeadLetter = new ArrayList<>();
        long[] skippedAsErased = new long[1];
        Applied changed = store.inTransaction(tx -> {
            if (tx.generation() != generation) {
                throw new Rewind("engagement state was rebuilt (generation " + generation + " is over)");
            }
            Set<String> erased = tx.erased(shoppers);
            Map<Integer, Long> stored = tx.lockOffsets(topic, nextOffsets.keySet());
            toDeadLetter.clear();
            rejected.stream().filter(r -> !erased.contains(r.record().key())).forEach(toDeadLetter::add);
            Map<String, EngagementStore.Seen> firstSeen = new LinkedHashMap<>();
            skippedAsErased[0] = 0;
            for (Decoded d : decoded) {
                if (d.record().offset() < stored.getOrDefault(d.record().partition(), 0L)) {
                    continue;
                }
                if (erased.contains(d.event().userId())) {
                    skippedAsErased[0]++;
                } else if (firstSeen.putIfAbsent(d.event().eventId(), new EngagementStore.Seen(
                        Instant.ofEpochMilli(d.record().timestamp()), d.event().userId())) == null) {
                    applicable.add(d);
                }
            }
            Set<String> fresh = tx.markSeen(firstSeen);
            applicable.removeIf(d -> !fresh.contains(d.event().eventId()));
            Applied updated = apply(tx, applicable, model, products);
            tx.saveOffsets(topic, nextOffsets);
            pruneSeenIfDue(tx, batch);
            beforeCommit.run();
            return updated;
        });
        profiles.updated(changed.profiles(), changed.changeSeq());
        long now = System.currentTimeMillis();
        for (Decoded d : applicable) {
            applied.get(d.event().type()).increment();
            freshness.record(Math.max(0, now - d.record().timestamp()), TimeUnit.MILLISECONDS);
        }
        erasedSkipped.increment(skippedAsErased[0]);
        duplicates.increment(decoded.size() - applicable.size() - skippedAsErased[0]);
        return toDeadLetter;
    }

    /** The profiles a batch changed, and the number under which it named them ({@link EngagementStore.Tx#nameChanges}). */
    private record Applied(Collection<TasteProfile> profiles, long changeSeq) {
    }

    private Applied apply(EngagementStore.Tx tx, List<Decoded> events, ActiveModel.Serving model,
                          Map<String, VectorRecord> products) {
        if (events.isEmpty()) {
            return new Applied(List.of(), EngagementStore.NOTHING_NAMED);
        }
        Set<String> users = new HashSet<>();
        events.forEach(d -> users.add(d.event().userId()));
        Map<String, TasteProfile> loaded = new HashMap<>(tx.profiles(users));
        String version = model.version();
        loaded.replaceAll((user, profile) -> ProfileService.expressedIn(profile, model));
        Map<EngagementStore.LinkKey, Double> links = new HashMap<>();
        Map<String, EngagementStore.Score> productScores = new HashMap<>();
        Map<String, EngagementStore.Score> categoryScores = new HashMap<>();
        Map<String, String> categories = new HashMap<>();
        Map<EngagementStore.ShopperQuery, Double> queryLinks = new HashMap<>();
        Split split = experiment.get();
        Map<EngagementStore.VariantEvent, Long> experimentEvents = new HashMap<>();
        for (Decoded d : events) {
            EngagementEvent e = d.event();
            double weight = config.weights().of(e.type());
            if (e.query() != null && weight > 0) {
                queryLinks.merge(new EngagementStore.ShopperQuery(EngagementEvent.normalizedQuery(e.query()), e.productId(),
                        e.userId()), weight, Double::sum);
            }
            if (split != null && !e.occurredAt().isBefore(split.startedAt())) {
                experimentEvents.merge(new EngagementStore.VariantEvent(split.variantOf(e.userId()).jsonName(),
                        e.type().wireName()), 1L, Long::sum);
            }
            VectorRecord product = products.get(e.productId());
            String category = product == null ? null : product.payload().category();
            TasteProfile profile = loaded.computeIfAbsent(e.userId(), TasteProfile::new);
            for (CoEngagement.Link link : coEngagement.links(profile.recent(), e.productId(), e.boardId(), weight)) {
                links.merge(new EngagementStore.LinkKey(link.from(), link.to()), link.weight(), Double::sum);
            }
            profile.apply(new TasteProfile.Engagement(e.productId(), e.type().wireName(), weight, e.occurredAt(),
                    e.sessionId(), e.boardId(), product == null ? null : product.vector(), category,
                    product == null ? null : product.payload().brand()), config.profileHalfLife(), version);
            if (weight > 0) {
                EngagementStore.Score score = new EngagementStore.Score(trending.logScore(weight, e.occurredAt()), 1);
                productScores.merge(e.productId(), score, EngagementStore.Score::plus);
                if (category != null) {
                    categories.put(e.productId(), category);
                    categoryScores.merge(category, score, EngagementStore.Score::plus);
                }
            }
        }
        Set<TasteProfile> changed = new HashSet<>();
        events.forEach(d -> changed.add(loaded.get(d.event().userId())));
        tx.saveProfiles(changed, Instant.now());
        tx.addLinks(links);
        Set<String> linkedFrom = new HashSet<>();
        links.keySet().forEach(k -> linkedFrom.add(k.from()));
        long changeSeq = tx.nameChanges(linkedFrom, users);
        tx.addTrendingProducts(productScores, categories);
        tx.addTrendingCategories(categoryScores);
        tx.addQueryLinks(queryLinks);
        if (split != null) {
            tx.addExperimentEvents(split.id(), experimentEvents);
        }
        return new Applied(changed, changeSeq);
    }

    private void pruneSeenIfDue(EngagementStore.Tx tx, List<ConsumerRecord<String, String>> batch) {
        long now = System.currentTimeMillis();
        if (now - lastPruneMillis < PRUNE_EVERY.toMillis()) {
            return;
        }
        lastPruneMillis = now;
        long oldest = batch.stream().mapToLong(ConsumerRecord::timestamp).min().orElse(now);
        tx.forgetSeenBefore(Instant.ofEpochMilli(oldest).minus(config.dedupeWindow()));
        tx.forgetChangesOlderThan(EngagementChanges.KEPT);
    }
}
