package io.tastemaker.recommend;

import io.tastemaker.merchandising.Rule;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.sources.Anchor;
import io.tastemaker.recommend.sources.Candidate;
import io.tastemaker.recommend.sources.CoEngagementGraph;
import io.tastemaker.recommend.sources.Popularity;
import io.tastemaker.recommend.sources.Retrieved;
import io.tastemaker.recommend.sources.Source;
import io.tastemaker.recommend.sources.Sources;
import io.tastemaker.recommend.sources.Subject;
import io.tastemaker.vectors.ForwardingVectorIndex;
import io.tastemaker.vectors.LuceneVectorIndex;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorFilter;
import io.tastemaker.vectors.VectorRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sources and the ranking over a real embedded index and hand-made vectors: a shop of
 * lamps (x axis), rugs (y axis) and mugs (z axis), with co-engagement lamp-1 → rug-1.
 */
class RankingTest {

    @TempDir
    Path dir;
    private LuceneVectorIndex index;
    private final Map<String, List<Candidate>> links = new HashMap<>();
    private final List<Candidate> popular = new ArrayList<>();
    private Sources sources;
    private Ranking ranking;

    @BeforeEach
    void shop() {
        index = LuceneVectorIndex.open(dir);
        List<VectorRecord> products = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            products.add(product("lamp-" + i, "Lamp " + i, i <= 3 ? "Lumo" : "Brite", "Home/Lighting/Lamps", 30 + i * 10,
                    new float[]{1, 0.05f * i, 0, 0.01f}));
            products.add(product("rug-" + i, "Rug " + i, "Weave", "Home/Rugs", 100 + i * 20, new float[]{0.05f * i, 1, 0, 0.01f}));
            products.add(product("mug-" + i, "Mug " + i, "Cuppa", "Kitchen/Mugs", 10 + i, new float[]{0, 0.05f * i, 1, 0.01f}));
        }
        index.upsert(products);
        links.put("lamp-1", List.of(new Candidate("rug-1", 5, null), new Candidate("mug-4", 1, null)));
        popular.add(new Candidate("mug-5", 100, "trending in Mugs"));
        popular.add(new Candidate("mug-3", 50, "trending in Mugs"));
        CoEngagementGraph graph = (Collection<String> ids, int perProduct) -> {
            Map<String, List<Candidate>> next = new HashMap<>();
            ids.forEach(id -> next.put(id, links.getOrDefault(id, List.of())));
            return next;
        };
        Popularity trending = (filter, limit) -> popular.stream()
                .filter(c -> !filter.excludeIds().contains(c.productId())).limit(limit).toList();
        Map<String, float[]> words = Map.of("lamps and rugs", new float[]{1, 1, 0, 0});
        sources = new Sources(index, graph, trending, words::get, 10);
        ranking = new Ranking(index, Fusion.Method.SCORE, Diversity.Settings.OFF);
    }

    @AfterEach
    void close() {
        index.close();
    }

    private static VectorRecord product(String id, String title, String brand, String path, int price, float[] v) {
        return new VectorRecord(id, v, new ProductPayload(title, brand, List.of(path.split("/")), List.of("tag-" + brand),
                BigDecimal.valueOf(price), "USD", null, true, "h"));
    }

    private static TasteProfile shopperWho(String... pinned) {
        TasteProfile p = new TasteProfile("u");
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        for (String id : pinned) {
            t = t.plusSeconds(60);
            float[] v = id.startsWith("lamp") ? new float[]{1, 0, 0, 0} : new float[]{0, 1, 0, 0};
            p.apply(new TasteProfile.Engagement(id, "pin", 3, t, null, null, v, "Home > Lighting > Lamps", "Lumo"),
                    Duration.ofDays(14), "m");
        }
        return p;
    }

    private Ranking.Result feed(TasteProfile profile, Weights weights, VectorFilter filter, List<Rule> rules) {
        Retrieval found = new FeedRecipe(weights, 3, 0.6).retrieve(sources, profile, filter, weights, 100);
        return ranking.rank(Surface.FEED, found, 100, 100, rules, Instant.now());
    }

    private static List<String> ids(Ranking.Result result) {
        return result.items().stream().map(Ranking.Ranked::productId).toList();
    }

    private static final Weights BLEND = new Weights(Map.of(Source.PROFILE, 0.1, Source.SIMILAR, 0.3,
            Source.CO_ENGAGEMENT, 1.0, Source.TRENDING, 0.05));

    @Test
    void co_engagement_puts_what_shoppers_chose_next_first_and_says_why() {
        Ranking.Result result = feed(shopperWho("lamp-1"), BLEND, VectorFilter.NONE, List.of());

        assertThat(ids(result).get(0)).isEqualTo("rug-1"); // not a lamp: learnt from shoppers, not from content
        assertThat(result.items().get(0).reasons()).first()
                .isEqualTo(new Reason("coEngagement", "because you pinned Lamp 1"));
        assertThat(ids(result)).doesNotContain("lamp-1"); // what they just pinned is not shown again
        assertThat(ids(result).subList(1, 5)).allMatch(id -> id.startsWith("lamp")); // then content neighbours
    }

    @Test
    void each_item_leads_with_what_sets_it_apart_from_the_list_and_keeps_its_other_reasons() {
        popular.add(new Candidate("lamp-3", 30, "trending in Lamps"));
        Weights feedDefaults = new Weights(Map.of(Source.PROFILE, 0.1, Source.SIMILAR, 2.0, Source.CO_ENGAGEMENT, 1.0,
                Source.TRENDING, 0.35));
        VectorFilter lamps = new VectorFilter("Lamps", null, null, null, null, Set.of());

        Ranking.Result result = feed(shopperWho("lamp-1"), feedDefaults, lamps, List.of());

        // every lamp is about as like Lamp 1 as the next: the likeness is the list's typical level, so
        // the one lamp that is also trending says so first
        Ranking.Ranked trending = result.items().stream().filter(r -> r.productId().equals("lamp-3")).findFirst()
                .orElseThrow();
        assertThat(trending.reasons()).first().isEqualTo(new Reason("trending", "trending in Lamps"));
        assertThat(trending.reasons()).contains(new Reason("similar", "like Lamp 1, which you pinned"));
        assertThat(result.items()).filteredOn(r -> !r.productId().equals("lamp-3")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.reasons().get(0).source()).isEqualTo("similar"));
        assertThat(result.items().stream().map(r -> r.reasons().get(0)).distinct()).hasSizeGreaterThan(1);
    }

    @Test
    void each_source_alone_proposes_what_it_knows() {
        TasteProfile rugFan = shopperWho("rug-2");
        Subject recent = Subject.of(rugFan, sources.recentAnchors(rugFan, 3, 0.6));
        Subject onScreen = Subject.of(null, List.of(sources.productAnchor("lamp-1").orElseThrow()));

        assertThat(sources.ask(Source.PROFILE, recent, VectorFilter.NONE, 3).candidates())
                .extracting(Candidate::productId).allMatch(id -> id.startsWith("rug"));
        assertThat(sources.ask(Source.SIMILAR, recent, VectorFilter.NONE.excluding(Set.of("rug-2")), 3).candidates())
                .extracting(Candidate::productId).allMatch(id -> id.startsWith("rug")).doesNotContain("rug-2");
        assertThat(sources.ask(Source.CO_ENGAGEMENT, onScreen, VectorFilter.NONE, 10).candidates())
                .extracting(Candidate::productId).containsExactly("rug-1", "mug-4");
        assertThat(sources.ask(Source.TRENDING, onScreen, VectorFilter.NONE, 1).candidates())
                .extracting(Candidate::productId).containsExactly("mug-5");
        assertThat(sources.ask(Source.QUERY, Subject.words(null, "  lamps   and rugs "), VectorFilter.NONE, 3)
                .candidates()).first().extracting(Candidate::because).isEqualTo("matches \"lamps and rugs\"");
    }

    @Test
    void the_similar_list_is_completed_with_the_cosines_of_what_other_sources_found() {
        links.put("lamp-1", List.of(new Candidate("rug-1", 5, null), new Candidate("mug-4", 5, null),
                new Candidate("gone-1", 5, null)));
        List<Anchor> anchors = List.of(sources.productAnchor("lamp-1").orElseThrow());
        Subject onScreen = Subject.of(null, anchors);
        VectorFilter allowed = VectorFilter.NONE.excluding(Set.of("lamp-1"));
        List<Retrieved> retrieved = List.of(sources.ask(Source.SIMILAR, onScreen, allowed, 2),
                sources.ask(Source.CO_ENGAGEMENT, onScreen, allowed, 10));
        List<String> nearest = retrieved.get(0).candidates().stream().map(Candidate::productId).toList();

        List<Retrieved> completed = sources.completeSimilarity(retrieved, anchors).lists();

        Retrieved similar = completed.get(0);
        assertThat(similar.source()).isEqualTo(Source.SIMILAR);
        assertThat(similar.candidates()).extracting(Candidate::productId).startsWith(nearest.toArray(String[]::new))
                .contains("rug-1", "mug-4").doesNotContain("gone-1"); // not in the index: no vector, no cosine
        Candidate rug = similar.candidates().stream().filter(c -> c.productId().equals("rug-1")).findFirst().orElseThrow();
        float[] lamp = {1, 0.05f, 0, 0.01f};
        float[] rug1 = {0.05f, 1, 0, 0.01f};
        double cosine = (lamp[0] * rug1[0] + lamp[1] * rug1[1] + lamp[3] * rug1[3])
                / Math.sqrt((1 + 0.0025 + 0.0001) * (0.0025 + 1 + 0.0001));
        assertThat(rug.score()).isCloseTo(cosine, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(rug.because()).isEqualTo("similar to Lamp 1");
        // mug-4 barely looks like a lamp: co-engaged as often as rug-1, it gains far less
        assertThat(similar.candidates()).filteredOn(c -> c.productId().equals("mug-4"))
                .allMatch(c -> c.score() < rug.score() / 5);
        assertThat(completed.get(1)).isEqualTo(retrieved.get(1)); // other lists untouched
    }

    @Test
    void in_search_the_taste_reorders_the_matches_without_adding_others() {
        TasteProfile rugFan = shopperWho("rug-2");
        Subject words = Subject.words(rugFan, "lamps and rugs");
        Retrieved matches = sources.ask(Source.QUERY, words, VectorFilter.NONE, 6);

        Retrieved taste = sources.ask(Source.PROFILE, words.among(matches), VectorFilter.NONE, 6);

        assertThat(taste.candidates()).extracting(Candidate::productId)
                .containsExactlyInAnyOrderElementsOf(matches.candidates().stream().map(Candidate::productId).toList());
        assertThat(taste.candidates().get(0).productId()).startsWith("rug");
        Weights search = new Weights(Map.of(Source.QUERY, 1.0, Source.PROFILE, 0.5));
        Ranking.Result result = ranking.rank(Surface.SEARCH, new Retrieval(List.of(matches, taste), search, VectorFilter.NONE), 6, 6,
                List.of(), Instant.now());
        assertThat(ids(result).get(0)).startsWith("rug");
        assertThat(ids(result)).noneMatch(id -> id.startsWith("mug"));
    }

    @Test
    void a_new_shopper_gets_trending_and_a_new_product_gets_content_neighbours() {
        Ranking.Result coldShopper = feed(null, new Weights(Map.of(Source.TRENDING, 1.0)), VectorFilter.NONE, List.of());
        assertThat(ids(coldShopper)).containsExactly("mug-5", "mug-3");

        // mug-2 has no engagement at all: "more like this" still answers from content
        Weights similar = new Weights(Map.of(Source.SIMILAR, 1.0, Source.CO_ENGAGEMENT, 1.0));
        Listing listing = new Listing(VectorFilter.NONE, new Page(0, 4), Map.of());
        Retrieval found = new SimilarRecipe(similar).retrieve(sources, ListRequest.similar("mug-2", null), null, listing)
                .orElseThrow();
        Ranking.Result result = ranking.rank(Surface.SIMILAR, found, 4, 4,
                List.of(), Instant.now());
        assertThat(ids(result)).hasSize(4).allMatch(id -> id.startsWith("mug"));
        assertThat(result.items().get(0).reasons().get(0).detail()).isEqualTo("similar to Mug 2");
    }

    @Test
    void filters_apply_to_every_source_including_those_that_cannot_filter_themselves() {
        VectorFilter under60 = new VectorFilter(null, null, null, BigDecimal.valueOf(60), null, Set.of());

        Ranking.Result result = feed(shopperWho("lamp-1"), BLEND, under60, List.of());

        assertThat(ids(result)).doesNotContain("rug-1") // co-engaged but costs 120
                .isNotEmpty()
                .allMatch(id -> result.items().stream().filter(r -> r.productId().equals(id)).findFirst().orElseThrow()
                        .payload().price().compareTo(BigDecimal.valueOf(60)) <= 0);
    }

    @Test
    void request_exclusions_hidden_and_bought_products_never_appear() {
        TasteProfile shopper = shopperWho("lamp-1");
        shopper.apply(new TasteProfile.Engagement("lamp-2", "hide", -4, Instant.parse("2026-11-02T00:00:00Z"), null,
                null, null, null, null), Duration.ofDays(14), "m");
        shopper.apply(new TasteProfile.Engagement("lamp-3", "purchase", 5, Instant.parse("2026-11-02T00:01:00Z"), null,
                null, new float[]{1, 0, 0, 0}, null, null), Duration.ofDays(14), "m");

        Ranking.Result result = feed(shopper, BLEND, VectorFilter.NONE.excluding(Set.of("rug-1")), List.of());

        assertThat(ids(result)).doesNotContain("lamp-1", "lamp-2", "lamp-3", "rug-1").isNotEmpty();
    }

    @Test
    void merchandising_blocks_boosts_and_pins_with_reasons_even_for_products_no_source_found() {
        Instant now = Instant.now();
        List<Rule> rules = List.of(
                rule(1, "no rugs", Rule.Action.BLOCK, Rule.Match.Type.CATEGORY, "rugs", null, null),
                rule(2, "spring campaign", Rule.Action.BOOST, Rule.Match.Type.BRAND, "brite", 50.0, null),
                rule(3, "mug of the month", Rule.Action.PIN, Rule.Match.Type.PRODUCT, "mug-1", null, 1));

        Ranking.Result result = feed(shopperWho("lamp-1"), new Weights(Map.of(Source.SIMILAR, 1.0)), VectorFilter.NONE,
                rules);

        assertThat(ids(result).get(0)).isEqualTo("mug-1"); // pinned although similarity never proposed it
        assertThat(result.items().get(0).reasons()).contains(
                new Reason("merchandising", "pinned: mug of the month"));
        assertThat(ids(result).subList(1, 3)).containsExactlyInAnyOrder("lamp-4", "lamp-5"); // Brite, boosted
        assertThat(result.items().get(1).reasons()).contains(
                new Reason("merchandising", "boosted: spring campaign"));
        assertThat(ids(result)).noneMatch(id -> id.startsWith("rug"));
        assertThat(result.effects()).extracting(e -> e.ruleName())
                .contains("no rugs", "spring campaign", "mug of the month");
    }

    private static Rule rule(long id, String name, Rule.Action action, Rule.Match.Type type, String value, Double factor,
                             Integer position) {
        return new Rule(id, name, action, new Rule.Match(type, value), factor, position, Set.of(), null, null, 0, true,
                null, 1, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void the_ranking_looks_up_only_the_records_retrieval_did_not_read() {
        List<Collection<String>> asked = new ArrayList<>();
        Ranking recording = new Ranking(new RecordingLookups(index, asked), Fusion.Method.SCORE, Diversity.Settings.OFF);
        Retrieved found = new Retrieved(Source.TRENDING, List.of(new Candidate("mug-5", 3, "trending"),
                new Candidate("mug-3", 2, "trending"), new Candidate("rug-2", 1, "trending")));
        // retrieval read mug-5 already: a stand-in record (a different title) shows it is the one used
        VectorRecord readBefore = product("mug-5", "Mug five as read", "Cuppa", "Kitchen/Mugs", 15, new float[]{0, 0.25f, 1, 0.01f});
        Retrieval retrieval = new Retrieval(List.of(found), new Weights(Map.of(Source.TRENDING, 1.0)), VectorFilter.NONE,
                Map.of("mug-5", readBefore));

        Ranking.Result result = recording.rank(Surface.FEED, retrieval, 10, 10, List.of(), Instant.now());

        assertThat(result.items()).extracting(Ranking.Ranked::productId).containsExactly("mug-5", "mug-3", "rug-2");
        assertThat(result.items().get(0).payload().title()).isEqualTo("Mug five as read");
        assertThat(asked).flatExtracting(ids -> ids).containsExactlyInAnyOrder("mug-3", "rug-2");
    }

    /** The index, noting which ids each look-up asks for. */
    private static final class RecordingLookups extends ForwardingVectorIndex {

        private final List<Collection<String>> asked;

        RecordingLookups(LuceneVectorIndex index, List<Collection<String>> asked) {
            super(index);
            this.asked = asked;
        }

        @Override
        public Map<String, VectorRecord> get(Collection<String> ids) {
            asked.add(List.copyOf(ids));
            return super.get(ids);
        }
    }
}
