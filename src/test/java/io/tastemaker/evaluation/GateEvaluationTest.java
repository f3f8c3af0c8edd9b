package io.tastemaker.evaluation;

import io.tastemaker.models.gate.Gate;
import io.tastemaker.models.gate.TimeSplit;
import io.tastemaker.models.gate.Verdict;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.Fusion;
import io.tastemaker.recommend.Weights;
import io.tastemaker.recommend.sources.Source;
import io.tastemaker.vectors.LuceneVectorIndex;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The evaluation gate on a synthetic shop where the better version is known. Products lie on a
 * ring and shoppers mostly step one or two places along it, now and then jumping anywhere; they
 * engage once a day for ten days. Versions:
 * <ul>
 *   <li>{@code ring}: vectors on the ring, so a product's neighbours are where shoppers go next;</li>
 *   <li>{@code random}: random vectors;</li>
 *   <li>{@code leaked}: vectors fitted on every transition in the log, the last days' too (what the
 *   fine-tuning did before the cut-off: pairs from every profile's items, the newest one included):
 *   each shopper's products pulled onto one point.</li>
 * </ul>
 * The old gate (content-only "more like this" from the three items before the latest, the latest
 * held out) ranks the leaked version first. The new gate judges ring above random, and refuses
 * the leaked version: it moves its cut-off past what the version learnt from and has nothing left
 * to judge it on.
 */
class GateEvaluationTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    private static final int PRODUCTS = 1500;
    private static final int SHOPPERS = 300;
    private static final int DAYS = 10;
    private static final int DIMENSION = 8;

    @TempDir
    static Path dir;

    private static List<TasteProfile> shoppers;
    /** Each shopper's products, oldest first. */
    private static List<int[]> paths;
    private static LuceneVectorIndex ring;
    private static LuceneVectorIndex random;
    private static LuceneVectorIndex leaked;
    private static LuceneVectorIndex fittedBeforeCutOff;
    private static Instant cutOff;

    @BeforeAll
    static void shop() {
        Random r = new Random(20);
        shoppers = new ArrayList<>();
        paths = new ArrayList<>();
        for (int s = 0; s < SHOPPERS; s++) {
            TasteProfile shopper = new TasteProfile("shopper-" + s);
            int[] path = new int[DAYS];
            int at = r.nextInt(PRODUCTS);
            for (int day = 0; day < DAYS; day++) {
                path[day] = at;
                Instant when = START.plus(Duration.ofDays(day)).plus(Duration.ofMinutes(r.nextInt(6 * 60)));
                shopper.apply(new TasteProfile.Engagement(id(at), "click", 1.0, when, null, null, null, null, null),
                        Duration.ofDays(14), "none");
                at = r.nextDouble() < 0.75 ? (at + 1 + r.nextInt(2)) % PRODUCTS : r.nextInt(PRODUCTS);
            }
            shoppers.add(shopper);
            paths.add(path);
        }
        cutOff = new TimeSplit(0.2, Optional.empty()).cutOff(times());

        float[][] onRing = new float[PRODUCTS][DIMENSION];
        float[][] anywhere = new float[PRODUCTS][];
        for (int p = 0; p < PRODUCTS; p++) {
            double angle = 2 * Math.PI * p / PRODUCTS;
            onRing[p][0] = (float) Math.cos(angle);
            onRing[p][1] = (float) Math.sin(angle);
            anywhere[p] = gaussian(r, 1);
        }
        ring = index("ring", onRing);
        random = index("random", anywhere);
        leaked = index("leaked", fitted(new Random(3), null));
        fittedBeforeCutOff = index("fitted-before", fitted(new Random(3), cutOff));
    }

    @AfterAll
    static void close() {
        for (LuceneVectorIndex index : List.of(ring, random, leaked, fittedBeforeCutOff)) {
            index.close();
        }
    }

    @Test
    void the_old_gate_ranks_the_leaked_version_first() {
        double leakedNdcg = oldGate(leaked);
        double ringNdcg = oldGate(ring);
        double randomNdcg = oldGate(random);
        System.out.printf("old gate NDCG@10: leaked %.4f, ring %.4f, random %.4f%n", leakedNdcg, ringNdcg, randomNdcg);

        assertThat(leakedNdcg).isGreaterThan(ringNdcg).isGreaterThan(randomNdcg);
    }

    @Test
    void the_new_gate_judges_the_version_whose_neighbours_follow_the_shoppers_better() {
        Verdict better = gate(ring, null, random, null);
        Verdict worse = gate(random, null, ring, null);
        System.out.println(better.summary());
        System.out.println(worse.summary());

        assertThat(better.worse()).isFalse();
        assertThat(better.candidate().ndcg().value()).isGreaterThan(better.active().ndcg().value());
        assertThat(better.candidate().ndcg().low()).isGreaterThan(better.active().ndcg().high());
        assertThat(worse.worse()).isTrue();
        // the same shoppers, on the last days only, the weights chosen for each
        assertThat(better.candidate().shoppers()).isEqualTo(better.active().shoppers()).isGreaterThan(100);
        assertThat(better.window().cutOff()).isEqualTo(cutOff);
        assertThat(better.window().validationEnd()).isAfter(cutOff);
        assertThat(better.candidate().feedWeights()).containsOnlyKeys("profile", "similar", "coEngagement", "likeMinded",
                "trending", "fresh");
        assertThat(better.candidate().coEngagementFloor()).isIn(0.0, 2.0, 4.0, 8.0, 16.0); // chosen with the weights
        assertThat(better.summary()).contains("ring", "random", "NDCG@10");
    }

    @Test
    void the_new_gate_does_not_let_the_leaked_version_win_on_transitions_it_learnt() {
        // what the old gate saw: the leaked version first, so it would have been promoted over the ring
        assertThat(oldGate(leaked)).isGreaterThan(oldGate(ring));

        Instant learntUntil = START.plus(Duration.ofDays(DAYS));
        Verdict verdict = gate(leaked, learntUntil, ring, null);
        System.out.println(verdict.summary());

        assertThat(verdict.worse()).isTrue();
        assertThat(verdict.candidate().shoppers()).isZero();
        assertThat(verdict.window().cutOff()).isEqualTo(learntUntil);
        assertThat(verdict.summary()).contains("cannot be judged leak-free");

        // the same fitting on the engagement before the cut-off only is judged on what came after it, and what
        // memorising transitions is worth shows: less than neighbours that follow the shoppers
        Verdict honest = gate(fittedBeforeCutOff, cutOff, ring, null);
        System.out.println(honest.summary());
        assertThat(honest.candidate().shoppers()).isGreaterThan(100);
        assertThat(honest.window().cutOff()).isEqualTo(cutOff);
        assertThat(honest.worse()).isTrue();
    }

    @Test
    void a_cancelled_run_stops_between_shoppers_and_progress_counts_both_versions() {
        AtomicLong lastDone = new AtomicLong();
        AtomicLong lastTotal = new AtomicLong();
        AtomicBoolean cancel = new AtomicBoolean();
        Gate.Progress progress = new Gate.Progress() {
            @Override
            public void at(long done, long total) {
                lastDone.set(done);
                lastTotal.set(total);
                if (done == 50) {
                    cancel.set(true);
                }
            }

            @Override
            public boolean cancelled() {
                return cancel.get();
            }
        };

        assertThatThrownBy(() -> evaluation().judge(new GateEvaluation.Version("ring", ring), null,
                new GateEvaluation.Version("random", random), null, shoppers, shoppers,
                new TimeSplit(0.2, Optional.empty()), progress)).isInstanceOf(Gate.Cancelled.class);
        assertThat(lastDone.get()).isEqualTo(50);

        Verdict done = gate(ring, null, random, null);
        long[] seen = new long[2];
        evaluation().judge(new GateEvaluation.Version("ring", ring), null, new GateEvaluation.Version("random", random),
                null, shoppers, shoppers, new TimeSplit(0.2, Optional.empty()), new Gate.Progress() {
                    @Override
                    public void at(long d, long total) {
                        seen[0] = d;
                        seen[1] = total;
                    }

                    @Override
                    public boolean cancelled() {
                        return false;
                    }
                });
        assertThat(seen[0]).isEqualTo(seen[1]).isGreaterThanOrEqualTo(2L * done.candidate().shoppers());
    }

    @Test
    void a_shop_with_too_little_engagement_after_the_cut_off_is_not_judged_and_not_refused() {
        Verdict verdict = evaluation().judge(new GateEvaluation.Version("ring", ring), null,
                new GateEvaluation.Version("random", random), null, shoppers.subList(0, 10), shoppers,
                new TimeSplit(0.2, Optional.empty()), quiet());

        assertThat(verdict.worse()).isFalse();
        assertThat(verdict.summary()).startsWith("too little engagement after the cut-off");
    }

    private static Verdict gate(VectorIndex candidate, Instant candidateUntil, VectorIndex active, Instant activeUntil) {
        return evaluation().judge(new GateEvaluation.Version(name(candidate), candidate), candidateUntil,
                new GateEvaluation.Version(name(active), active), activeUntil, shoppers, shoppers,
                new TimeSplit(0.2, Optional.empty()), quiet());
    }

    private static String name(VectorIndex index) {
        return index == ring ? "ring" : index == random ? "random" : index == leaked ? "leaked" : "fitted-before";
    }

    static GateEvaluation evaluation() {
        return evaluation(20);
    }

    static GateEvaluation evaluation(int minShoppers) {
        return new GateEvaluation(new GateEvaluation.Settings(new Weights(Map.of(Source.PROFILE, 0.1, Source.SIMILAR, 2.0,
                Source.CO_ENGAGEMENT, 1.0, Source.TRENDING, 0.35, Source.FRESH, 0.01)), Fusion.Method.SCORE, 3, 0.4,
                Duration.ofDays(14), Duration.ofHours(24), 3, 1.0, type -> 1.0, 3000, minShoppers));
    }

    static Gate.Progress quiet() {
        return new Gate.Progress() {
            @Override
            public void at(long done, long total) {
            }

            @Override
            public boolean cancelled() {
                return false;
            }
        };
    }

    /** The gate this one replaces: NDCG@10 of the latest product held out, "more like" the three before. */
    private static double oldGate(VectorIndex index) {
        return OldGate.score(index, shoppers).ndcg();
    }

    /**
     * Vectors fitted on the shoppers' transitions (engaged before {@code until}; null: all of them):
     * random, then each product pulled onto the one its shopper engaged with before it, as a model
     * that memorised every transition would place them.
     */
    private static float[][] fitted(Random r, Instant until) {
        float[][] vectors = new float[PRODUCTS][];
        for (int p = 0; p < PRODUCTS; p++) {
            vectors[p] = gaussian(r, 1);
        }
        for (int s = 0; s < SHOPPERS; s++) {
            List<TasteProfile.Recent> recent = shoppers.get(s).recent();
            int[] path = paths.get(s);
            for (int day = 1; day < DAYS; day++) {
                Instant when = recent.get(DAYS - 1 - day).occurredAt();
                if (until != null && !when.isBefore(until)) {
                    break;
                }
                float[] near = vectors[path[day - 1]].clone();
                float[] noise = gaussian(r, 0.05);
                for (int d = 0; d < DIMENSION; d++) {
                    near[d] += noise[d];
                }
                vectors[path[day]] = near;
            }
        }
        return vectors;
    }

    private static float[] gaussian(Random r, double scale) {
        float[] v = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            v[d] = (float) (scale * r.nextGaussian());
        }
        return v;
    }

    private static List<Instant> times() {
        List<Instant> times = new ArrayList<>();
        shoppers.forEach(s -> s.recent().forEach(r -> times.add(r.occurredAt())));
        return times;
    }

    private static String id(int product) {
        return String.format("p%04d", product);
    }

    private static LuceneVectorIndex index(String name, float[][] vectors) {
        LuceneVectorIndex index = LuceneVectorIndex.open(dir.resolve(name));
        List<VectorRecord> records = new ArrayList<>();
        for (int p = 0; p < PRODUCTS; p++) {
            records.add(new VectorRecord(id(p), vectors[p], new ProductPayload("product " + p, "brand", List.of("ring"),
                    List.of(), BigDecimal.ONE, "USD", null, true, null)));
        }
        index.upsert(records);
        index.compact();
        return index;
    }
}
