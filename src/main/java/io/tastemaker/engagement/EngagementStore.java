package io.tastemaker.engagement;

import io.tastemaker.profiles.ProfileCodec;
import io.tastemaker.models.training.TrainingLinks;
import io.tastemaker.profiles.ProfileStore;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.sources.Candidate;
import io.vertx.mutiny.core.buffer.Buffer;
import io.tastemaker.db.BlockingSql;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Engagement-derived state in PostgreSQL: taste profiles, co-engagement links, trending scores,
 * applied event ids and the offsets they came from. Writes are set-based SQL on the reactive
 * client (one statement per table per batch; an ORM session per row would not keep up with
 * thousands of events a second), always inside one transaction with the offsets, so a batch is
 * applied entirely or not at all. Blocking methods are for consumer and worker threads only.
 * <p>Over 450 lines on purpose: every statement on the engagement tables lives here, so the
 * locking protocol (the generation row first, then offsets, then rows in key order) that keeps
 * batches, rebuilds and erasures from deadlocking can be checked in one place.
 */
@ApplicationScoped
public class EngagementStore implements ProfileStore, TrainingLinks {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Pool pool;
    private final ProfileCodec profiles;

    EngagementStore(Pool pool, ProfileCodec profiles) {
        this.pool = pool;
        this.profiles = profiles;
    }

    /** Runs {@code work} in one transaction on the calling (non-event-loop) thread; rolls back if it throws. */
    public <T> T inTransaction(Function<Tx, T> work) {
        return BlockingSql.inTransaction(pool, TIMEOUT, connection -> work.apply(new Tx(connection)));
    }

    /** The statements of one engagement transaction. */
    public final class Tx {
        private final SqlConnection c;

        private Tx(SqlConnection c) {
            this.c = c;
        }

        /** The rebuild generation; a shared lock keeps a rebuild from starting under this transaction. */
        public long generation() {
            return readGeneration(c, " FOR SHARE");
        }

        /** Stored next offsets of these partitions, locked so that one owner at a time advances them. */
        public Map<Integer, Long> lockOffsets(String topic, Collection<Integer> partitions) {
            RowSet<Row> rows = run(c, "SELECT partition, next_offset FROM engagement_offsets"
                    + " WHERE topic = $1 AND partition = ANY($2) FOR UPDATE", Tuple.of(topic, partitions.toArray(Integer[]::new)));
            Map<Integer, Long> offsets = new HashMap<>();
            for (Row row : rows) {
                offsets.put(row.getInteger(0), row.getLong(1));
            }
            return offsets;
        }

        public void saveOffsets(String topic, Map<Integer, Long> nextOffsets) {
            if (nextOffsets.isEmpty()) {
                return;
            }
            Map<Integer, Long> sorted = new TreeMap<>(nextOffsets);
            run(c, "INSERT INTO engagement_offsets (topic, partition, next_offset)"
                            + " SELECT $1, p, o FROM unnest($2::int[], $3::int8[]) AS t(p, o)"
                            + " ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset",
                    Tuple.of(topic, sorted.keySet().toArray(Integer[]::new), sorted.values().toArray(Long[]::new)));
        }

        /**
         * The user ids among these that were erased (V10): their events are skipped. Read per batch,
         * after {@link #generation()}: an erasure holds that row exclusively, so a batch sees every
         * erasure committed before it and none can commit while it runs.
         */
        public Set<String> erased(Collection<String> userIds) {
            if (userIds.isEmpty()) {
                return Set.of();
            }
            Set<String> erased = new HashSet<>();
            for (Row row : run(c, "SELECT user_id FROM shopper_erasures WHERE user_id = ANY($1)",
                    Tuple.of(userIds.toArray(String[]::new)))) {
                erased.add(row.getString(0));
            }
            return erased;
        }

        /** Records these event ids as applied (with their shopper, for an erasure); answers those not applied before. */
        public Set<String> markSeen(Map<String, Seen> seen) {
            if (seen.isEmpty()) {
                return Set.of();
            }
            Map<String, Seen> sorted = new TreeMap<>(seen);
            RowSet<Row> rows = run(c, "INSERT INTO engagement_seen (event_id, logged_at, user_id)"
                            + " SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[])"
                            + " ON CONFLICT DO NOTHING RETURNING event_id",
                    Tuple.of(sorted.keySet().toArray(String[]::new),
                            sorted.values().stream().map(v -> utc(v.loggedAt())).toArray(OffsetDateTime[]::new),
                            sorted.values().stream().map(Seen::userId).toArray(String[]::new)));
            Set<String> fresh = new HashSet<>();
            for (Row row : rows) {
                fresh.add(row.getString(0));
            }
            return fresh;
        }

        /** Forgets event ids logged before {@code before}: a retry after the window counts again. */
        public void forgetSeenBefore(Instant before) {
            run(c, "DELETE FROM engagement_seen WHERE logged_at < $1", Tuple.of(utc(before)));
        }

        public Map<String, TasteProfile> profiles(Collection<String> userIds) {
            return loadProfiles(c, userIds);
        }

        public void saveProfiles(Collection<TasteProfile> changed, Instant now) {
            if (changed.isEmpty()) {
                return;
            }
            List<TasteProfile> sorted = changed.stream()
                    .sorted(java.util.Comparator.comparing(TasteProfile::userId)).toList();
            int n = sorted.size();
            String[] users = new String[n];
            String[] models = new String[n];
            io.vertx.core.buffer.Buffer[] vectors = new io.vertx.core.buffer.Buffer[n];
            String[] states = new String[n];
            Long[] events = new Long[n];
            OffsetDateTime[] asOf = new OffsetDateTime[n];
            for (int i = 0; i < n; i++) {
                TasteProfile p = sorted.get(i);
                users[i] = p.userId();
                models[i] = p.modelVersion();
                vectors[i] = p.vectorSum() == null ? null : io.vertx.core.buffer.Buffer.buffer(ProfileCodec.bytes(p.vectorSum()));
                states[i] = profiles.state(p);
                events[i] = p.events();
                asOf[i] = p.asOf() == null ? null : utc(p.asOf());
            }
            run(c, "INSERT INTO taste_profiles (user_id, model_version, vector, state, events, as_of, updated_at)"
                            + " SELECT u, m, v, s::jsonb, e, a, $7 FROM unnest($1::text[], $2::text[], $3::bytea[],"
                            + " $4::text[], $5::int8[], $6::timestamptz[]) AS t(u, m, v, s, e, a)"
                            + " ON CONFLICT (user_id) DO UPDATE SET model_version = excluded.model_version,"
                            + " vector = excluded.vector, state = excluded.state, events = excluded.events,"
                            + " as_of = excluded.as_of, updated_at = excluded.updated_at",
                    Tuple.tuple(List.<Object>of(users, models, vectors, states, events, asOf, utc(now))));
        }

        /** Adds link weights, keys sorted so that concurrent consumers lock rows in one order. */
        public void addLinks(Map<LinkKey, Double> links) {
            if (!links.isEmpty()) {
                addWeights("co_engagement", "from_product, to_product", links);
            }
        }

        /**
         * Names what this batch changed for the processes that keep it in memory ({@link EngagementChanges}):
         * the products whose outgoing links changed and the shoppers whose profiles did. Answers the
         * change's number ({@link Change#seq}), {@link #NOTHING_NAMED} when nothing changed.
         */
        public long nameChanges(Collection<String> fromProducts, Collection<String> shoppers) {
            if (fromProducts.isEmpty() && shoppers.isEmpty()) {
                return NOTHING_NAMED;
            }
            return run(c, "INSERT INTO engagement_changes (from_products, shoppers) VALUES ($1, $2) RETURNING seq",
                    Tuple.of(new TreeSet<>(fromProducts).toArray(String[]::new), new TreeSet<>(shoppers).toArray(String[]::new)))
                    .iterator().next().getLong(0);
        }

        /** Forgets the changes named longer than {@code kept} ago: readers that far behind read everything again. */
        public void forgetChangesOlderThan(Duration kept) {
            run(c, "DELETE FROM engagement_changes WHERE changed_at < clock_timestamp() - make_interval(secs => $1)",
                    Tuple.of((double) kept.toSeconds()));
        }

        /**
         * Adds query → product weights and who contributed them (so that an erasure can take a
         * shopper's share back), sorted as {@link #addLinks}.
         */
        public void addQueryLinks(Map<ShopperQuery, Double> links) {
            if (links.isEmpty()) {
                return;
            }
            Map<LinkKey, Double> totals = new HashMap<>();
            links.forEach((k, w) -> totals.merge(new LinkKey(k.query(), k.productId()), w, Double::sum));
            addWeights("query_engagement", "query, product_id", totals);
            TreeMap<ShopperQuery, Double> sorted = new TreeMap<>(links);
            run(c, "INSERT INTO shopper_queries AS w (query, product_id, user_id, weight)"
                            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[])"
                            + " ON CONFLICT (query, product_id, user_id) DO UPDATE SET weight = w.weight + excluded.weight",
                    Tuple.of(sorted.keySet().stream().map(ShopperQuery::query).toArray(String[]::new),
                            sorted.keySet().stream().map(ShopperQuery::productId).toArray(String[]::new),
                            sorted.keySet().stream().map(ShopperQuery::userId).toArray(String[]::new),
                            sorted.values().toArray(Double[]::new)));
        }

        private void addWeights(String table, String keyColumns, Map<LinkKey, Double> links) {
            if (links.isEmpty()) {
                return;
            }
            TreeMap<LinkKey, Double> sorted = new TreeMap<>(links);
            run(c, "INSERT INTO " + table + " AS w (" + keyColumns + ", weight)"
                            + " SELECT * FROM unnest($1::text[], $2::text[], $3::float8[])"
                            + " ON CONFLICT (" + keyColumns + ") DO UPDATE SET weight = w.weight + excluded.weight",
                    Tuple.of(sorted.keySet().stream().map(LinkKey::from).toArray(String[]::new),
                            sorted.keySet().stream().map(LinkKey::to).toArray(String[]::new),
                            sorted.values().toArray(Double[]::new)));
        }

        /** Adds an experiment's events per variant and type (counted once: same transaction as the offsets). */
        public void addExperimentEvents(long experimentId, Map<VariantEvent, Long> counts) {
            if (counts.isEmpty()) {
                return;
            }
            TreeMap<VariantEvent, Long> sorted = new TreeMap<>(counts);
            run(c, "INSERT INTO experiment_engagement AS x (experiment_id, variant, type, events)"
                            + " SELECT $1, v, t, n FROM unnest($2::text[], $3::text[], $4::int8[]) AS u(v, t, n)"
                            + " ON CONFLICT (experiment_id, variant, type) DO UPDATE SET events = x.events + excluded.events",
                    Tuple.of(experimentId, sorted.keySet().stream().map(VariantEvent::variant).toArray(String[]::new),
                            sorted.keySet().stream().map(VariantEvent::type).toArray(String[]::new),
                            sorted.values().toArray(Long[]::new)));
        }

        public void addTrendingProducts(Map<String, Score> scores, Map<String, String> categories) {
            if (scores.isEmpty()) {
                return;
            }
            TreeMap<String, Score> sorted = new TreeMap<>(scores);
            run(c, "INSERT INTO trending_products AS t (product_id, log_score, events, category)"
                            + " SELECT * FROM unnest($1::text[], $2::float8[], $3::int8[], $4::text[])"
                            + " ON CONFLICT (product_id) DO UPDATE SET log_score = " + LOG_ADD + ","
                            + " events = t.events + excluded.events, category = coalesce(excluded.category, t.category)",
                    Tuple.of(sorted.keySet().toArray(String[]::new),
                            sorted.values().stream().map(Score::logScore).toArray(Double[]::new),
                            sorted.values().stream().map(Score::events).toArray(Long[]::new),
                            sorted.keySet().stream().map(categories::get).toArray(String[]::new)));
        }

        public void addTrendingCategories(Map<String, Score> scores) {
            if (scores.isEmpty()) {
                return;
            }
            TreeMap<String, Score> sorted = new TreeMap<>(scores);
            run(c, "INSERT INTO trending_categories AS t (category, log_score, events)"
                            + " SELECT * FROM unnest($1::text[], $2::float8[], $3::int8[])"
                            + " ON CONFLICT (category) DO UPDATE SET log_score = " + LOG_ADD + ","
                            + " events = t.events + excluded.events",
                    Tuple.of(sorted.keySet().toArray(String[]::new),
                            sorted.values().stream().map(Score::logScore).toArray(Double[]::new),
                            sorted.values().stream().map(Score::events).toArray(Long[]::new)));
        }
    }

    /** log(e^a + e^b) in SQL, as {@link Trending#add}; PostgreSQL's exp() refuses to underflow, so tiny terms are dropped. */
    private static final String LOG_ADD = "CASE WHEN abs(t.log_score - excluded.log_score) > 700"
            + " THEN greatest(t.log_score, excluded.log_score)"
            + " ELSE greatest(t.log_score, excluded.log_score)"
            + " + ln(1 + exp(least(t.log_score, excluded.log_score) - greatest(t.log_score, excluded.log_score))) END";

    /** An engagement type counted for an experiment's variant. */
    public record VariantEvent(String variant, String type) implements Comparable<VariantEvent> {
        @Override
        public int compareTo(VariantEvent o) {
            int byVariant = variant.compareTo(o.variant);
            return byVariant != 0 ? byVariant : type.compareTo(o.type);
        }
    }

    /** When the broker logged an applied event, and whose it was. */
    public record Seen(Instant loggedAt, String userId) {
    }

    /** One shopper's share of a query → product link (normalised query); ordered as the table's key. */
    public record ShopperQuery(String query, String productId, String userId) implements Comparable<ShopperQuery> {
        @Override
        public int compareTo(ShopperQuery o) {
            int byQuery = query.compareTo(o.query);
            if (byQuery != 0) {
                return byQuery;
            }
            int byProduct = productId.compareTo(o.productId);
            return byProduct != 0 ? byProduct : userId.compareTo(o.userId);
        }
    }

    /** A directed co-engagement link. */
    public record LinkKey(String from, String to) implements Comparable<LinkKey> {
        @Override
        public int compareTo(LinkKey o) {
            int byFrom = from.compareTo(o.from);
            return byFrom != 0 ? byFrom : to.compareTo(o.to);
        }
    }

    /** A batch's contribution to a trending score: log Σ w·e^(λt), and how many events. */
    public record Score(double logScore, long events) {
        public Score plus(Score other) {
            return new Score(Trending.add(logScore, other.logScore), events + other.events);
        }
    }

    /** A product's trending score: its order-independent log score (see {@link Trending}). */
    public record TrendingScore(String productId, double logScore) {
    }

    // ---- reads for the API and tools (blocking: worker threads only) ----

    @Override
    public Optional<TasteProfile> profile(String userId) {
        return Optional.ofNullable(loadProfiles(pool, List.of(userId)).get(userId));
    }

    @Override
    public List<TasteProfile> recentProfiles(int limit) {
        List<String> ids = recentlyUpdated(limit);
        return ids.isEmpty() ? List.of() : List.copyOf(loadProfiles(pool, ids).values());
    }

    @Override
    public List<String> recentlyUpdated(int limit) {
        List<String> ids = new ArrayList<>(Math.min(limit, 10_000));
        for (Row row : run(pool, "SELECT user_id FROM taste_profiles ORDER BY updated_at DESC, user_id LIMIT $1",
                Tuple.of(limit))) {
            ids.add(row.getString(0));
        }
        return ids;
    }

    @Override
    public List<Stored> stored(Collection<String> userIds) {
        return stored(pool, userIds);
    }

    /** An erasure deletes the profile; the erasure list is checked too, so an export can never outrun one. */
    @Override
    public List<TasteProfile> profilesAfter(String afterUserId, int limit) {
        List<String> ids = new ArrayList<>(limit);
        String notErased = " NOT EXISTS (SELECT 1 FROM shopper_erasures e WHERE e.user_id = p.user_id)";
        RowSet<Row> rows = afterUserId == null
                ? run(pool, "SELECT user_id FROM taste_profiles p WHERE" + notErased + " ORDER BY user_id LIMIT $1",
                Tuple.of(limit))
                : run(pool, "SELECT user_id FROM taste_profiles p WHERE user_id > $2 AND" + notErased
                + " ORDER BY user_id LIMIT $1", Tuple.of(limit, afterUserId));
        for (Row row : rows) {
            ids.add(row.getString(0));
        }
        Map<String, TasteProfile> loaded = loadProfiles(pool, ids);
        List<TasteProfile> page = new ArrayList<>(ids.size());
        for (String id : ids) {
            TasteProfile profile = loaded.get(id);
            if (profile != null) { // erased between the two reads
                page.add(profile);
            }
        }
        // an empty page ends an export: if every one was erased meanwhile, go on after them
        return page.isEmpty() && !ids.isEmpty() ? profilesAfter(ids.get(ids.size() - 1), limit) : page;
    }

    /**
     * The recent engagement (newest first, as each profile keeps it) of the {@code limit} shoppers
     * after {@code afterUserId} in id order: a page of every shopper's history, for the reader that
     * keeps them in memory. Only the state's {@code recent} part is read.
     */
    public Map<String, List<TasteProfile.Recent>> recentEngagementAfter(String afterUserId, int limit) {
        return recentEngagement(run(pool, "SELECT user_id, state->>'recent' FROM taste_profiles WHERE user_id > $1"
                + " ORDER BY user_id LIMIT $2", Tuple.of(afterUserId, limit)));
    }

    /** The recent engagement of these shoppers, newest first; a shopper without a profile (erased) is left out. */
    public Map<String, List<TasteProfile.Recent>> recentEngagement(Collection<String> userIds) {
        return userIds.isEmpty() ? Map.of() : recentEngagement(run(pool, "SELECT user_id, state->>'recent'"
                + " FROM taste_profiles WHERE user_id = ANY($1)", Tuple.of(userIds.toArray(String[]::new))));
    }

    private Map<String, List<TasteProfile.Recent>> recentEngagement(RowSet<Row> rows) {
        Map<String, List<TasteProfile.Recent>> recent = new LinkedHashMap<>();
        for (Row row : rows) {
            recent.put(row.getString(0), profiles.recent(row.getString(1)));
        }
        return recent;
    }

    /** The most trending products, best first. */
    public List<TrendingScore> trendingProducts(int limit) {
        List<TrendingScore> ranked = new ArrayList<>();
        for (Row row : run(pool, "SELECT product_id, log_score FROM trending_products"
                + " ORDER BY log_score DESC, product_id LIMIT $1", Tuple.of(limit))) {
            ranked.add(new TrendingScore(row.getString(0), row.getDouble(1)));
        }
        return ranked;
    }

    /** Each product's strongest outgoing co-engagement links, best first (score = link weight). */
    public Map<String, List<Candidate>> strongestLinks(List<String> productIds, int perProduct) {
        Map<String, List<Candidate>> links = new HashMap<>();
        if (productIds.isEmpty()) {
            return links;
        }
        for (Row row : run(pool, "SELECT a.from_product, l.to_product, l.weight FROM unnest($1::text[]) AS a(from_product)"
                + " CROSS JOIN LATERAL (SELECT to_product, weight FROM co_engagement c WHERE c.from_product = a.from_product"
                + " ORDER BY weight DESC, to_product LIMIT $2) l", Tuple.of(productIds.toArray(String[]::new), perProduct))) {
            links.computeIfAbsent(row.getString(0), k -> new ArrayList<>())
                    .add(new Candidate(row.getString(1), row.getDouble(2), null));
        }
        return links;
    }

    /**
     * The strongest outgoing links of the {@code products} products after {@code afterProduct}, in
     * product order (a page of the whole graph, for the readers that keep it in memory).
     */
    public Map<String, List<Candidate>> strongestLinksAfter(String afterProduct, int products, int perProduct) {
        Map<String, List<Candidate>> links = new LinkedHashMap<>();
        for (Row row : run(pool, "SELECT a.from_product, l.to_product, l.weight FROM"
                + " (SELECT DISTINCT from_product FROM co_engagement WHERE from_product > $1 ORDER BY from_product LIMIT $2) a"
                + " CROSS JOIN LATERAL (SELECT to_product, weight FROM co_engagement c WHERE c.from_product = a.from_product"
                + " ORDER BY weight DESC, to_product LIMIT $3) l ORDER BY a.from_product, l.weight DESC, l.to_product",
                Tuple.of(afterProduct, products, perProduct))) {
            links.computeIfAbsent(row.getString(0), k -> new ArrayList<>())
                    .add(new Candidate(row.getString(1), row.getDouble(2), null));
        }
        return links;
    }

    /**
     * What one batch (or erasure) changed: the products whose outgoing links, the shoppers whose
     * profiles changed, the shoppers erased. {@code seq} tells a change seen in an earlier read from a new one.
     */
    /** The number of a change that named nothing (and so was not written). */
    public static final long NOTHING_NAMED = -1;

    public record Change(long seq, List<String> fromProducts, List<String> shoppers, List<String> erased) {
    }

    /**
     * The changes committed in the last {@code within}, oldest first. A change commits a moment
     * after its row's time, so readers ask again for a margin they already read and skip the
     * sequence numbers they have seen (numbers are not committed in order).
     */
    public List<Change> changesWithin(Duration within) {
        List<Change> changes = new ArrayList<>();
        for (Row row : run(pool, "SELECT seq, from_products, shoppers, erased FROM engagement_changes"
                + " WHERE changed_at > clock_timestamp() - make_interval(secs => $1) ORDER BY seq",
                Tuple.of(within.toMillis() / 1000.0))) {
            changes.add(new Change(row.getLong(0), List.of(row.getArrayOfStrings(1)), List.of(row.getArrayOfStrings(2)),
                    List.of(row.getArrayOfStrings(3))));
        }
        return changes;
    }

    @Override
    public List<Link> linksAfter(String afterFrom, String afterTo, double minWeight, int limit) {
        return page("SELECT from_product, to_product, weight FROM co_engagement WHERE weight >= $1",
                "from_product, to_product", afterFrom, afterTo, minWeight, limit);
    }

    /**
     * Only links some shopper still vouches for: an erased shopper's share is gone, and links from before
     * shoppers were recorded (V10) wait for a rebuild, as they may hold an erased shopper's words.
     */
    @Override
    public List<Link> queryLinksAfter(String afterQuery, String afterProduct, double minWeight, int limit) {
        return page("SELECT query, product_id, weight FROM query_engagement q WHERE weight >= $1 AND EXISTS"
                        + " (SELECT 1 FROM shopper_queries s WHERE s.query = q.query AND s.product_id = q.product_id)",
                "query, product_id", afterQuery, afterProduct, minWeight, limit);
    }

    private List<Link> page(String select, String key, String afterFrom, String afterTo, double minWeight, int limit) {
        List<Link> links = new ArrayList<>(limit);
        String sql = select + (afterFrom == null ? "" : " AND (" + key + ") > ($3, $4)") + " ORDER BY " + key + " LIMIT $2";
        Tuple args = afterFrom == null ? Tuple.of(minWeight, limit) : Tuple.of(minWeight, limit, afterFrom, afterTo);
        for (Row row : run(pool, sql, args)) {
            links.add(new Link(row.getString(0), row.getString(1), row.getDouble(2)));
        }
        return links;
    }

    public long generation() {
        return readGeneration(pool, "");
    }

    /** Stored next offsets per partition of {@code topic}; a partition without one starts at the beginning. */
    public Map<Integer, Long> offsets(String topic) {
        Map<Integer, Long> offsets = new HashMap<>();
        for (Row row : run(pool, "SELECT partition, next_offset FROM engagement_offsets WHERE topic = $1", Tuple.of(topic))) {
            offsets.put(row.getInteger(0), row.getLong(1));
        }
        return offsets;
    }

    /**
     * Forgets all engagement-derived state and starts a new generation: every consumer rewinds to
     * the beginning of the engagement topic and rebuilds it. Waits for batches in flight.
     */
    public long reset() {
        return inTransaction(tx -> {
            // the generation row first, as every batch and erasure takes it first: no lock-order deadlock
            readGeneration(tx.c, " FOR UPDATE");
            run(tx.c, "TRUNCATE engagement_offsets, engagement_seen, taste_profiles, co_engagement, engagement_changes,"
                    + " trending_products, trending_categories, query_engagement, shopper_queries", Tuple.tuple());
            // the replay counts the running experiment's events again; ended experiments keep theirs
            run(tx.c, "DELETE FROM experiment_engagement WHERE experiment_id IN"
                    + " (SELECT id FROM model_experiments WHERE ended_at IS NULL)", Tuple.tuple());
            return run(tx.c, "UPDATE engagement_generation SET generation = generation + 1 WHERE id = 1 RETURNING generation",
                    Tuple.tuple()).iterator().next().getLong(0);
        });
    }

    /** Rows and bytes of each engagement table, for operators and the storage figures. */
    public Map<String, long[]> tableSizes() {
        Map<String, long[]> sizes = new TreeMap<>();
        for (String table : List.of("engagement_seen", "taste_profiles", "co_engagement", "trending_products",
                "trending_categories", "engagement_offsets", "query_engagement", "shopper_queries")) {
            Row row = run(pool, "SELECT count(*), pg_total_relation_size('" + table + "') FROM " + table, Tuple.tuple())
                    .iterator().next();
            sizes.put(table, new long[]{row.getLong(0), row.getLong(1)});
        }
        return sizes;
    }

    private Map<String, TasteProfile> loadProfiles(SqlClient client, Collection<String> userIds) {
        Map<String, TasteProfile> loaded = new HashMap<>();
        for (Stored s : stored(client, userIds)) {
            loaded.put(s.userId(), profiles.read(s.userId(), s.state(), s.vector(), s.modelVersion(), s.events()));
        }
        return loaded;
    }

    private static List<Stored> stored(SqlClient client, Collection<String> userIds) {
        List<Stored> stored = new ArrayList<>(userIds.size());
        if (userIds.isEmpty()) {
            return stored;
        }
        for (Row row : run(client, "SELECT user_id, state::text, vector, model_version, events FROM taste_profiles"
                + " WHERE user_id = ANY($1)", Tuple.of(userIds.toArray(String[]::new)))) {
            Buffer vector = row.getBuffer(2);
            stored.add(new Stored(row.getString(0), row.getString(1), vector == null ? null : vector.getBytes(),
                    row.getString(3), row.getLong(4)));
        }
        return stored;
    }

    private static long readGeneration(SqlClient client, String lock) {
        return run(client, "SELECT generation FROM engagement_generation WHERE id = 1" + lock, Tuple.tuple())
                .iterator().next().getLong(0);
    }

    private static RowSet<Row> run(SqlClient client, String sql, Tuple args) {
        return BlockingSql.query(client, sql, args, TIMEOUT);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
