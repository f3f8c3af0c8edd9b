package io.tastemaker.profiles;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

class TasteProfileTest {

    private static final Duration HALF_LIFE = Duration.ofDays(14);
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final float[] LAMP = {1, 0, 0};
    private static final float[] SHOE = {0, 1, 0};

    @Test
    void the_taste_points_at_what_was_engaged_with_most_recently_and_strongly() {
        TasteProfile p = new TasteProfile("u");
        p.apply(engagement("lamp", "pin", 3, T0, LAMP), HALF_LIFE, "m1");
        p.apply(engagement("shoe", "pin", 3, T0.plus(HALF_LIFE), SHOE), HALF_LIFE, "m1");

        float[] taste = p.direction();
        assertThat(taste[1]).isGreaterThan(taste[0]); // the older pin counts half
        assertThat((double) taste[0] / taste[1]).isCloseTo(0.5, within(1e-6));
        assertThat(p.items().get("lamp")).isCloseTo(1.5, within(1e-9));
        assertThat(p.events()).isEqualTo(2);
    }

    @Test
    void a_late_event_counts_as_much_as_it_would_have_in_order() {
        TasteProfile inOrder = new TasteProfile("u");
        inOrder.apply(engagement("lamp", "pin", 3, T0, LAMP), HALF_LIFE, "m1");
        inOrder.apply(engagement("shoe", "click", 1, T0.plus(Duration.ofDays(3)), SHOE), HALF_LIFE, "m1");
        TasteProfile late = new TasteProfile("u");
        late.apply(engagement("shoe", "click", 1, T0.plus(Duration.ofDays(3)), SHOE), HALF_LIFE, "m1");
        late.apply(engagement("lamp", "pin", 3, T0, LAMP), HALF_LIFE, "m1");

        assertThat(late.items().get("lamp")).isCloseTo(inOrder.items().get("lamp"), within(1e-9));
        assertThat(late.direction()[0]).isCloseTo(inOrder.direction()[0], within(1e-6f));
        assertThat(late.asOf()).isEqualTo(inOrder.asOf());
    }

    @Test
    void hiding_pushes_the_taste_away_and_excludes_the_product() {
        TasteProfile p = new TasteProfile("u");
        p.apply(engagement("lamp", "pin", 3, T0, LAMP), HALF_LIFE, "m1");
        p.apply(engagement("lamp2", "hide", -4, T0, new float[]{0.9f, 0.1f, 0}), HALF_LIFE, "m1");

        assertThat(p.direction()[0]).isLessThan(0);
        assertThat(p.excluded()).containsExactly("lamp2");
        assertThat(p.recent()).extracting(TasteProfile.Recent::productId).containsExactly("lamp");
    }

    @Test
    void a_profile_is_recomputed_in_a_new_models_space_from_its_items() {
        TasteProfile p = new TasteProfile("u");
        p.apply(engagement("lamp", "pin", 3, T0, LAMP), HALF_LIFE, "m1");
        p.recompute(Map.of("lamp", new float[]{0, 0, 2}), "m2");

        assertThat(p.modelVersion()).isEqualTo("m2");
        assertThat(p.direction()).containsExactly(0f, 0f, 1f);
    }

    @Test
    void bounded_lists_keep_the_strongest_and_the_latest() {
        TasteProfile p = new TasteProfile("u");
        for (int i = 0; i < TasteProfile.MAX_ITEMS + 10; i++) {
            p.apply(engagement("p" + i, "view", 1 + i, T0, LAMP), HALF_LIFE, "m1");
        }
        assertThat(p.items()).hasSize(TasteProfile.MAX_ITEMS).doesNotContainKey("p0").containsKey("p59");
        assertThat(p.recent()).hasSize(TasteProfile.MAX_RECENT);
        assertThat(p.recent().get(0).productId()).isEqualTo("p59");
    }

    @Test
    void recent_distinct_items_are_the_newest_engagement_with_each_product_newest_first() {
        TasteProfile p = new TasteProfile("u");
        String[][] events = {{"lamp", "view"}, {"shoe", "pin"}, {"lamp", "purchase"}, {"rug", "hide"}, {"mug", "click"},
                {"shoe", "add_to_cart"}, {"vase", "pin"}};
        for (int i = 0; i < events.length; i++) {
            p.apply(engagement(events[i][0], events[i][1], 1, T0.plus(Duration.ofHours(i)), LAMP), HALF_LIFE, "m1");
        }

        assertThat(p.recentDistinct(10)).extracting(TasteProfile.Recent::productId, TasteProfile.Recent::type)
                .containsExactly(tuple("vase", "pin"), tuple("shoe", "add_to_cart"), tuple("mug", "click"),
                        tuple("lamp", "purchase")); // the hidden rug is not a recent item
        assertThat(p.recentDistinct(2)).extracting(TasteProfile.Recent::productId).containsExactly("vase", "shoe");
        assertThat(p.recentDistinct(0)).isEmpty();
        assertThat(new TasteProfile("new").recentDistinct(5)).isEmpty();
    }

    private static TasteProfile.Engagement engagement(String product, String type, double weight, Instant at, float[] v) {
        return new TasteProfile.Engagement(product, type, weight, at, null, null, v, "Home > Lighting", "Acme");
    }
}
