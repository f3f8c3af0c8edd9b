package io.tastemaker.engagement;

import io.tastemaker.profiles.TasteProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CoEngagementAndTrendingTest {

    private static final Instant T = Instant.parse("2026-11-20T12:00:00Z");

    @Test
    void an_engagement_links_the_previous_distinct_items_forward_within_the_window() {
        CoEngagement co = new CoEngagement(3, 0.5);
        List<TasteProfile.Recent> recent = List.of(recent("c", null), recent("b", null), recent("c", null),
                recent("a", null), recent("z", null));

        assertThat(co.links(recent, "d", null, 1.0)).containsExactly(
                new CoEngagement.Link("c", "d", 1.0), new CoEngagement.Link("b", "d", 0.5), new CoEngagement.Link("a", "d", 0.25));
    }

    @Test
    void pins_link_to_earlier_pins_on_the_same_board_beyond_the_window() {
        CoEngagement co = new CoEngagement(1, 1.0);
        List<TasteProfile.Recent> recent = List.of(recent("x", null), recent("y", null), recent("sofa", "living-room"));

        assertThat(co.links(recent, "rug", "living-room", 3.0)).containsExactlyInAnyOrder(
                new CoEngagement.Link("x", "rug", 1.0), new CoEngagement.Link("sofa", "rug", 1.0));
    }

    @Test
    void negative_engagement_links_nothing_and_an_item_never_links_itself() {
        CoEngagement co = new CoEngagement(3, 1.0);
        assertThat(co.links(List.of(recent("a", null)), "b", null, -4)).isEmpty();
        assertThat(co.links(List.of(recent("a", null)), "a", null, 1)).isEmpty();
    }

    @Test
    void trending_scores_decay_with_the_half_life_and_do_not_depend_on_order() {
        Trending trending = new Trending(Duration.ofHours(24));
        double old = trending.logScore(4, T.minus(Duration.ofHours(24)));
        double recent = trending.logScore(1, T);

        assertThat(trending.countAt(old, T)).isCloseTo(2.0, within(1e-9));
        assertThat(trending.countAt(Trending.add(old, recent), T)).isCloseTo(3.0, within(1e-9));
        assertThat(Trending.add(old, recent)).isCloseTo(Trending.add(recent, old), within(1e-12));
        assertThat(Trending.add(Double.NEGATIVE_INFINITY, recent)).isEqualTo(recent);
        // ten years on, scores are still finite
        assertThat(Trending.add(trending.logScore(1, T.plus(Duration.ofDays(3650))), recent)).isFinite();
    }

    private static TasteProfile.Recent recent(String product, String board) {
        return new TasteProfile.Recent(product, "pin", T, null, board);
    }
}
