package io.tastemaker.evaluation;

import io.tastemaker.engagement.CoEngagement;
import io.tastemaker.engagement.Trending;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.sources.Candidate;
import io.tastemaker.recommend.sources.CoEngagementGraph;
import io.tastemaker.recommend.sources.Popularity;
import io.tastemaker.recommend.sources.ShopperHistories;
import io.tastemaker.vectors.VectorFilter;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Interaction sequences replayed through the service's own engagement logic, in memory: taste
 * profiles ({@link TasteProfile}), co-engagement links ({@link CoEngagement}), the shoppers'
 * histories (what each replayed profile keeps in {@link TasteProfile#recent()}) and popularity,
 * served through the same ports the request path reads PostgreSQL through, and held to the same
 * port contracts as the serving adapters (the suites under {@code recommend/sources} in the
 * tests). Sequences carry no times, so the events of a sequence are one day apart; popularity is
 * the plain training count (the data span years: "trending this week" has no meaning there), and
 * a filter's product fields are not applied (the evaluation filters by id only). The gate replays
 * real, timed engagement instead ({@link #replayBefore}): links as the consumer adds them and
 * trending decayed as the service decays it, from engagement before its cut-off only.
 */
final class OfflineEngagement implements CoEngagementGraph, ShopperHistories, Popularity {

    static final String EVENT_TYPE = "purchase"; // a review is a purchase
    private static final Instant START = Instant.parse("2014-01-01T00:00:00Z");

    private final Map<String, List<Candidate>> links;
    private final List<Candidate> popular;
    private final Map<String, List<String>> histories;
    private final Map<String, List<String>> shoppers;

    private OfflineEngagement(Map<String, List<Candidate>> links, List<Candidate> popular, List<TasteProfile> replayed) {
        this.links = links;
        this.popular = popular;
        this.histories = new HashMap<>();
        Map<String, List<TasteProfile.Recent>> byProduct = new HashMap<>();
        Map<TasteProfile.Recent, String> whose = new java.util.IdentityHashMap<>();
        for (TasteProfile shopper : replayed) {
            List<TasteProfile.Recent> newest = shopper.recentDistinct(TasteProfile.MAX_RECENT);
            if (newest.isEmpty()) {
                continue;
            }
            List<String> history = new ArrayList<>(newest.size());
            for (int i = newest.size() - 1; i >= 0; i--) {
                history.add(newest.get(i).productId());
                byProduct.computeIfAbsent(newest.get(i).productId(), k -> new ArrayList<>()).add(newest.get(i));
                whose.put(newest.get(i), shopper.userId());
            }
            histories.put(shopper.userId(), List.copyOf(history));
        }
        // a product's shoppers newest first, as the service keeps them (ties by shopper id)
        Comparator<TasteProfile.Recent> newestFirst = Comparator.comparing(TasteProfile.Recent::occurredAt)
                .reversed().thenComparing(whose::get);
        this.shoppers = new HashMap<>();
        byProduct.forEach((product, engaged) -> {
            engaged.sort(newestFirst);
            shoppers.put(product, engaged.stream().map(whose::get).toList());
        });
    }

    /** The shopper a training sequence stands for, as {@link #profile} names them. */
    static String shopperId(int sequence) {
        return "u" + sequence;
    }

    static OfflineEngagement replay(List<int[]> training, IntFunction<String> productId, CoEngagement coEngagement) {
        Map<String, Map<String, Double>> weights = new HashMap<>();
        Map<String, Double> counts = new HashMap<>();
        List<TasteProfile> replayed = new ArrayList<>(training.size());
        for (int u = 0; u < training.size(); u++) {
            int[] sequence = training.get(u);
            TasteProfile shopper = new TasteProfile(shopperId(u));
            replayed.add(shopper);
            for (int i = 0; i < sequence.length; i++) {
                String id = productId.apply(sequence[i]);
                for (CoEngagement.Link link : coEngagement.links(shopper.recent(), id, null, 1.0)) {
                    weights.computeIfAbsent(link.from(), k -> new HashMap<>()).merge(link.to(), link.weight(), Double::sum);
                }
                shopper.apply(event(id, i, null), Duration.ofDays(14), "none");
                counts.merge(id, 1.0, Double::sum);
            }
        }
        Map<String, List<Candidate>> sorted = new HashMap<>();
        weights.forEach((from, to) -> sorted.put(from, best(to)));
        return new OfflineEngagement(sorted, best(counts), replayed);
    }

    /**
     * The engagement of these shoppers strictly before {@code cutOff}, applied in each shopper's
     * order as the engagement consumer applies it: co-engagement links from the shopper's recent
     * items at each event, and trending as the decayed weight of positive events as of the cut-off.
     *
     * @param shoppers their profiles, whose engagement ({@link TasteProfile#recent()}) is replayed
     * @param weightOf an event type's weight (the service's {@code tastemaker.engagement.weights})
     */
    static OfflineEngagement replayBefore(List<TasteProfile> shoppers, Instant cutOff,
                                          java.util.function.ToDoubleFunction<String> weightOf, CoEngagement coEngagement,
                                          Trending trending) {
        Map<String, Map<String, Double>> weights = new HashMap<>();
        Map<String, Double> logScores = new HashMap<>();
        List<TasteProfile> replayed = new ArrayList<>(shoppers.size());
        for (TasteProfile profile : shoppers) {
            List<TasteProfile.Recent> recent = profile.recent();
            TasteProfile shopper = new TasteProfile(profile.userId());
            replayed.add(shopper);
            for (int i = recent.size() - 1; i >= 0; i--) {
                TasteProfile.Recent e = recent.get(i);
                if (e.occurredAt() == null || !e.occurredAt().isBefore(cutOff)) {
                    continue;
                }
                double weight = weightOf.applyAsDouble(e.type());
                for (CoEngagement.Link link : coEngagement.links(shopper.recent(), e.productId(), e.boardId(), weight)) {
                    weights.computeIfAbsent(link.from(), k -> new HashMap<>()).merge(link.to(), link.weight(), Double::sum);
                }
                shopper.apply(new TasteProfile.Engagement(e.productId(), e.type(), weight, e.occurredAt(), e.sessionId(),
                        e.boardId(), null, null, null), Duration.ofDays(14), "none");
                if (weight > 0) {
                    logScores.merge(e.productId(), trending.logScore(weight, e.occurredAt()), Trending::add);
                }
            }
        }
        Map<String, List<Candidate>> sorted = new HashMap<>();
        weights.forEach((from, to) -> sorted.put(from, best(to)));
        Map<String, Double> counts = new HashMap<>();
        logScores.forEach((id, log) -> counts.put(id, trending.countAt(log, cutOff)));
        List<Candidate> popular = best(counts);
        return new OfflineEngagement(sorted, popular.subList(0, Math.min(popular.size(), Popularity.MAX_DEPTH)),
                replayed);
    }

    /**
     * Every co-engagement link the sequences leave, summed per (from, to) as the service stores
     * them, with items as rows; in (from, to) order.
     */
    static List<CoEngagement.Link> links(List<int[]> training, CoEngagement coEngagement) {
        Map<String, Map<String, Double>> weights = new java.util.TreeMap<>();
        for (int[] sequence : training) {
            TasteProfile shopper = new TasteProfile("offline");
            for (int i = 0; i < sequence.length; i++) {
                String id = Integer.toString(sequence[i]);
                for (CoEngagement.Link link : coEngagement.links(shopper.recent(), id, null, 1.0)) {
                    weights.computeIfAbsent(link.from(), k -> new java.util.TreeMap<>())
                            .merge(link.to(), link.weight(), Double::sum);
                }
                shopper.apply(event(id, i, null), Duration.ofDays(14), "none");
            }
        }
        List<CoEngagement.Link> links = new ArrayList<>();
        weights.forEach((from, to) -> to.forEach((item, weight) -> links.add(new CoEngagement.Link(from, item, weight))));
        return links;
    }

    /** The taste profile of shopper {@code sequence} after this history, built as the engagement consumer builds it. */
    static TasteProfile profile(int sequence, int[] history, IntFunction<String> productId, Map<String, float[]> vectors,
                                Duration halfLife, String modelVersion) {
        TasteProfile profile = new TasteProfile(shopperId(sequence));
        for (int i = 0; i < history.length; i++) {
            String id = productId.apply(history[i]);
            profile.apply(event(id, i, vectors.get(id)), halfLife, modelVersion);
        }
        return profile;
    }

    private static TasteProfile.Engagement event(String productId, int step, float[] vector) {
        return new TasteProfile.Engagement(productId, EVENT_TYPE, 1.0, START.plus(Duration.ofDays(step)), null, null,
                vector, null, null);
    }

    private static List<Candidate> best(Map<String, Double> scores) {
        List<Candidate> list = new ArrayList<>(scores.size());
        scores.forEach((id, score) -> list.add(new Candidate(id, score, null)));
        list.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparing(Candidate::productId));
        return List.copyOf(list);
    }

    @Override
    public Map<String, List<Candidate>> next(Collection<String> productIds, int perProduct) {
        Map<String, List<Candidate>> next = new HashMap<>();
        for (String id : productIds) {
            List<Candidate> out = links.get(id);
            if (out != null) {
                next.put(id, out.subList(0, Math.min(perProduct, out.size())));
            }
        }
        return next;
    }

    @Override
    public Map<String, Shoppers> shoppersOf(Collection<String> productIds, int perProduct) {
        Map<String, Shoppers> found = new HashMap<>();
        for (String id : productIds) {
            List<String> all = shoppers.get(id);
            if (all != null) {
                found.put(id, Shoppers.newestOf(all, perProduct));
            }
        }
        return found;
    }

    @Override
    public Map<String, List<String>> historiesOf(Collection<String> shopperIds) {
        Map<String, List<String>> found = new HashMap<>();
        for (String id : shopperIds) {
            List<String> history = histories.get(id);
            if (history != null) {
                found.put(id, history);
            }
        }
        return found;
    }

    @Override
    public List<Candidate> top(VectorFilter filter, int limit) {
        List<Candidate> top = new ArrayList<>(limit);
        for (Candidate c : popular) {
            if (top.size() == limit) {
                break;
            }
            if (!filter.excludeIds().contains(c.productId())) {
                top.add(c);
            }
        }
        return top;
    }
}
