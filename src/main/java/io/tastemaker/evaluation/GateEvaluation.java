package io.tastemaker.evaluation;

import io.tastemaker.engagement.CoEngagement;
import io.tastemaker.engagement.Trending;
import io.tastemaker.models.gate.Estimate;
import io.tastemaker.models.gate.Gate;
import io.tastemaker.models.gate.TimeSplit;
import io.tastemaker.models.gate.Verdict;
import io.tastemaker.models.gate.VersionScore;
import io.tastemaker.models.gate.Window;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.Fusion;
import io.tastemaker.recommend.Weights;
import io.tastemaker.recommend.sources.Source;
import io.tastemaker.recommend.sources.Sources;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The evaluation gate's judgement, in plain Java over two versions' vector indexes and the
 * shoppers' timed engagement: leak-free (a time split, {@link Window}) and through the whole feed
 * blend as it serves (the feed recipe's sources, completion and {@link Fusion}), with the feed
 * weights re-chosen for each version on the validation window.
 * <ol>
 *   <li>Co-engagement and trending are rebuilt from the engagement before the cut-off only
 *   ({@link OfflineEngagement#replayBefore}); the vector index is each version's own collection.</li>
 *   <li>Validation case of a shopper: the first product in [cut-off, validation end) new to them, the
 *   engagement before it the history. Test case: the first new product at or after the validation
 *   end, everything before it the history. History masked, the whole collection ranked: a product
 *   no source proposes is a miss.</li>
 *   <li>Per version: weights by coordinate ascent on validation NDCG@10, under score fusion with the
 *   floor under co-engagement's normaliser ({@link WeightSearch#chooseWithFloor});
 *   then HR@10 and NDCG@10 on the test cases, per shopper, with 95 % normal-approximation intervals.</li>
 * </ol>
 */
public final class GateEvaluation {

    private static final Logger LOG = Logger.getLogger(GateEvaluation.class);
    static final int K = 10;
    private static final double Z95 = 1.959964;
    /** The sources the weight search tunes; co-engagement keeps its weight as the scale. */
    private static final List<Source> TUNED = List.of(Source.PROFILE, Source.SIMILAR, Source.LIKE_MINDED, Source.TRENDING);
    /** The feed's sources, as a verdict's weights name them. */
    private static final List<Source> FEED_SOURCES = List.of(Source.PROFILE, Source.SIMILAR, Source.CO_ENGAGEMENT,
            Source.LIKE_MINDED, Source.TRENDING, Source.FRESH);

    /** A version as the gate sees it: its name and its own collection. */
    public record Version(String name, VectorIndex index) {
    }

    /**
     * How the service blends and weighs (its configuration), and the gate's own bounds.
     *
     * @param start       the feed weights (with the co-engagement floor) the search starts from (the
     *                    configured ones); kept when validation has fewer than {@code minShoppers} cases
     * @param weightOf    an engagement type's weight ({@code tastemaker.engagement.weights})
     */
    public record Settings(Weights start, Fusion.Method method, int anchors, double anchorDecay,
                           Duration profileHalfLife, Duration trendingHalfLife, int coEngagementWindow,
                           double coEngagementStepDecay, ToDoubleFunction<String> weightOf, int searchShoppers,
                           int minShoppers) {
    }

    /** One prediction: a shopper's engagement before the target (oldest first) and the new product they went to. */
    record Case(String user, List<TasteProfile.Recent> history, String target) {

        Set<String> historyIds() {
            Set<String> ids = new HashSet<>();
            history.forEach(r -> ids.add(r.productId()));
            return ids;
        }
    }

    private final Settings settings;
    private final FeedReplay feed;

    public GateEvaluation(Settings settings) {
        this.settings = settings;
        this.feed = new FeedReplay(settings.anchors(), settings.anchorDecay());
    }

    /**
     * Judges {@code candidate} against {@code active} on the window {@code split} cuts from the
     * engagement, moved past the versions' training cut-offs (neither is scored on engagement it
     * learnt from). A candidate whose own cut-off leaves too few test cases is refused (it cannot be
     * judged leak-free: it learnt from what the gate would score); too few for any other reason,
     * the gate does not judge and does not refuse.
     *
     * @param evaluated             the shoppers scored, most recently active first
     * @param engagement            the shoppers whose engagement sets the cut-off and, before it,
     *                              rebuilds co-engagement and trending
     * @param candidateTrainedUntil the candidate's training cut-off (null: not trained on this shop's engagement)
     * @param activeTrainedUntil    the active version's
     */
    public Verdict judge(Version candidate, Instant candidateTrainedUntil, Version active, Instant activeTrainedUntil,
                         List<TasteProfile> evaluated, List<TasteProfile> engagement, TimeSplit split,
                         Gate.Progress progress) {
        List<Instant> times = new ArrayList<>();
        engagement.forEach(p -> p.recent().forEach(r -> {
            if (r.occurredAt() != null) {
                times.add(r.occurredAt());
            }
        }));
        Instant ruleCutOff = split.cutOff(times);
        if (ruleCutOff == null) {
            Instant now = Instant.now();
            return judge(candidate, active, evaluated, engagement, new Window(now, now, now), null, progress);
        }
        Instant notBefore = later(candidateTrainedUntil, activeTrainedUntil);
        String leakedBy = candidateTrainedUntil != null && candidateTrainedUntil.isAfter(ruleCutOff)
                ? "it learnt from engagement until " + candidateTrainedUntil + ", after the cut-off " + ruleCutOff
                + " the shop's engagement gives" : null;
        return judge(candidate, active, evaluated, engagement, split.window(times, notBefore), leakedBy, progress);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    /**
     * Judges on a given window.
     *
     * @param leakedBy when not null, why the window had to move past the candidate's own training
     *                 engagement: with too few test cases left, the candidate is refused rather than
     *                 let through unjudged
     */
    Verdict judge(Version candidate, Version active, List<TasteProfile> evaluated, List<TasteProfile> engagement,
                  Window window, String leakedBy, Gate.Progress progress) {
        List<Case> validation = cases(evaluated, window.cutOff(), window.validationEnd());
        List<Case> test = cases(evaluated, window.validationEnd(), null);
        // the same shoppers for both: targets both collections hold (a product deleted since is in neither)
        validation = known(known(validation, candidate.index()), active.index());
        test = known(known(test, candidate.index()), active.index());
        if (validation.size() > settings.searchShoppers()) {
            validation = validation.subList(0, settings.searchShoppers());
        }
        if (test.size() < settings.minShoppers()) {
            boolean refused = leakedBy != null;
            String why = String.format(Locale.ROOT, "%d shoppers with a new product after %s (%d needed)", test.size(),
                    window.validationEnd(), settings.minShoppers());
            return new Verdict(empty(candidate), empty(active), window, refused, refused
                    ? candidate.name() + " cannot be judged leak-free: " + leakedBy + ", and " + why
                    : "too little engagement after the cut-off to judge: " + why);
        }
        long replayStarted = System.nanoTime();
        OfflineEngagement replayed = OfflineEngagement.replayBefore(engagement, window.cutOff(), settings.weightOf(),
                new CoEngagement(settings.coEngagementWindow(), settings.coEngagementStepDecay()),
                new Trending(settings.trendingHalfLife()));
        LOG.infof("Gate: engagement of %d shoppers before %s replayed in %d ms", engagement.size(), window.cutOff(),
                (System.nanoTime() - replayStarted) / 1_000_000);
        long[] done = {0};
        long total = 2L * (validation.size() + test.size());
        progress.at(0, total);
        Scored c = score(candidate, replayed, validation, test, done, total, progress);
        Scored a = score(active, replayed, validation, test, done, total, progress);
        VersionScore cs = c.score(candidate.name());
        VersionScore as = a.score(active.name());
        Estimate difference = estimate(differences(c.gains, a.gains));
        boolean worse = cs.ndcg().value() < as.ndcg().value();
        return new Verdict(cs, as, window, worse, summary(cs, as, difference, worse, validation.size()));
    }

    /** A version's per-shopper results on the test cases and the weights (with floor) validation chose. */
    private record Scored(double[] hits, double[] gains, Weights weights) {

        VersionScore score(String version) {
            Map<String, Double> byKey = new TreeMap<>(); // every feed source, a switched-off one as 0
            FEED_SOURCES.forEach(source -> byKey.put(source.key(), weights.of(source)));
            return new VersionScore(version, hits.length, estimate(hits), estimate(gains), byKey,
                    weights.floor(Source.CO_ENGAGEMENT));
        }
    }

    private Scored score(Version version, OfflineEngagement replayed, List<Case> validation, List<Case> test,
                         long[] done, long total, Gate.Progress progress) {
        long started = System.nanoTime();
        Sources sources = new Sources(version.index(), replayed, replayed, replayed);
        Map<String, float[]> vectors = vectors(version.index(), validation, test);
        Weights weights = settings.start();
        long retrieved = started;
        long searched = started;
        if (validation.size() >= settings.minShoppers()) {
            List<FeedReplay.Table> tables = new ArrayList<>(validation.size());
            for (Case c : validation) {
                tables.add(new FeedReplay.Table(feed.candidates(sources, profile(c, vectors, version.name())),
                        settings.method(), c.historyIds(), c.target()));
                step(done, total, progress);
            }
            retrieved = System.nanoTime();
            ToDoubleFunction<Weights> ndcg = w -> {
                double sum = 0;
                for (FeedReplay.Table table : tables) {
                    sum += FeedReplay.gain(table.rank(w, K));
                }
                return sum / tables.size();
            };
            weights = (settings.method() == Fusion.Method.SCORE
                    ? WeightSearch.chooseWithFloor(settings.start(), TUNED, ndcg, LOG::debug)
                    : WeightSearch.choose(settings.start(), TUNED, ndcg, LOG::debug)).weights();
            searched = System.nanoTime();
        } else {
            done[0] += validation.size();
        }
        double[] hits = new double[test.size()];
        double[] gains = new double[test.size()];
        for (int i = 0; i < test.size(); i++) {
            Case c = test.get(i);
            int rank = FeedReplay.rank(feed.candidates(sources, profile(c, vectors, version.name())), weights,
                    settings.method(), c.historyIds(), c.target(), K);
            hits[i] = rank >= 0 ? 1 : 0;
            gains[i] = FeedReplay.gain(rank);
            step(done, total, progress);
        }
        LOG.infof("Gate, %s: %d validation shoppers' candidates in %d ms, weights chosen in %d ms (%s), %d test shoppers"
                        + " in %d ms", version.name(), validation.size(), (retrieved - started) / 1_000_000,
                (searched - retrieved) / 1_000_000, weights, test.size(), (System.nanoTime() - searched) / 1_000_000);
        return new Scored(hits, gains, weights);
    }

    private static void step(long[] done, long total, Gate.Progress progress) {
        if (progress.cancelled()) {
            throw new Gate.Cancelled();
        }
        progress.at(++done[0], total);
    }

    /**
     * Each shopper's first product new to them in [from, until) ({@code until} null: to the end),
     * with everything they engaged with before it as history; shoppers with no history before it
     * are left out (their feed is trending alone, the same under any model).
     */
    static List<Case> cases(List<TasteProfile> shoppers, Instant from, Instant until) {
        List<Case> cases = new ArrayList<>();
        for (TasteProfile shopper : shoppers) {
            List<TasteProfile.Recent> recent = shopper.recent(); // newest first
            List<TasteProfile.Recent> history = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = recent.size() - 1; i >= 0; i--) {
                TasteProfile.Recent e = recent.get(i);
                Instant at = e.occurredAt();
                boolean inWindow = at != null && !at.isBefore(from) && (until == null || at.isBefore(until));
                if (inWindow && !seen.contains(e.productId())) {
                    if (!history.isEmpty()) {
                        cases.add(new Case(shopper.userId(), List.copyOf(history), e.productId()));
                    }
                    break;
                }
                if (until != null && at != null && !at.isBefore(until)) {
                    break;
                }
                history.add(e);
                seen.add(e.productId());
            }
        }
        return cases;
    }

    /** The cases whose target this collection holds. */
    private static List<Case> known(List<Case> cases, VectorIndex index) {
        Set<String> targets = new LinkedHashSet<>();
        cases.forEach(c -> targets.add(c.target()));
        Set<String> found = new HashSet<>();
        List<String> all = new ArrayList<>(targets);
        for (int from = 0; from < all.size(); from += 1000) {
            found.addAll(index.get(all.subList(from, Math.min(all.size(), from + 1000))).keySet());
        }
        return cases.stream().filter(c -> found.contains(c.target())).toList();
    }

    /** The version's vectors of every product in the cases' histories, looked up once. */
    private static Map<String, float[]> vectors(VectorIndex index, List<Case> validation, List<Case> test) {
        Set<String> ids = new LinkedHashSet<>();
        validation.forEach(c -> ids.addAll(c.historyIds()));
        test.forEach(c -> ids.addAll(c.historyIds()));
        List<String> all = new ArrayList<>(ids);
        Map<String, float[]> vectors = new HashMap<>();
        for (int from = 0; from < all.size(); from += 1000) {
            for (Map.Entry<String, VectorRecord> e : index.get(all.subList(from, Math.min(all.size(), from + 1000))).entrySet()) {
                vectors.put(e.getKey(), e.getValue().vector());
            }
        }
        return vectors;
    }

    /** The shopper's taste profile after the case's history, built as the engagement consumer builds it, in this version's space. */
    private TasteProfile profile(Case c, Map<String, float[]> vectors, String version) {
        TasteProfile profile = new TasteProfile(c.user());
        for (TasteProfile.Recent e : c.history()) {
            profile.apply(new TasteProfile.Engagement(e.productId(), e.type(), settings.weightOf().applyAsDouble(e.type()),
                    e.occurredAt(), e.sessionId(), e.boardId(), vectors.get(e.productId()), null, null),
                    settings.profileHalfLife(), version);
        }
        return profile;
    }

    private static double[] differences(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /** The mean with its 95 % normal-approximation interval (the per-shopper standard error). */
    static Estimate estimate(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Estimate(0, 0, 0);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double half = n < 2 ? 0 : Z95 * Math.sqrt(squares / (n - 1) / n);
        return new Estimate(mean, mean - half, mean + half);
    }

    private static VersionScore empty(Version v) {
        return new VersionScore(v.name(), 0, new Estimate(0, 0, 0), new Estimate(0, 0, 0), Map.of(), null);
    }

    private static String summary(VersionScore c, VersionScore a, Estimate difference, boolean worse, int validation) {
        boolean clear = difference.low() > 0 || difference.high() < 0;
        return String.format(Locale.ROOT, "%s scores NDCG@10 %.4f (HR@10 %.4f) against %.4f (%.4f) for the active %s, "
                        + "over the same %d shoppers (whole blend, weights chosen on %d validation shoppers: %s vs %s); "
                        + "difference %+.4f (paired 95%% interval %+.4f to %+.4f: %s)%s",
                c.version(), c.ndcg().value(), c.hitRate().value(), a.ndcg().value(), a.hitRate().value(), a.version(),
                c.shoppers(), validation, weights(c), weights(a), difference.value(), difference.low(), difference.high(),
                clear ? "a real difference" : "within chance", worse ? "; worse than the active version" : "");
    }

    private static String weights(VersionScore s) {
        StringBuilder b = new StringBuilder();
        s.feedWeights().forEach((k, v) -> b.append(b.isEmpty() ? "" : ",").append(k).append(':').append(v));
        if (s.coEngagementFloor() != null && s.coEngagementFloor() > 0) {
            b.append(", co-engagement floor ").append(s.coEngagementFloor());
        }
        return b.toString();
    }
}
