package io.tastemaker.recommend.rest;

import io.tastemaker.api.InvalidInputException;
import io.tastemaker.recommend.Page;
import io.tastemaker.recommend.Weights;
import io.tastemaker.recommend.sources.Source;
import io.tastemaker.vectors.VectorFilter;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the listing part of a storefront request: pages and cursors, filters, source weights. */
class ListingParserTest {

    @Test
    void should_walk_pages_with_cursors_until_a_short_page() {
        Page first = ListingParser.page("10", null);
        assertThat(first).isEqualTo(new Page(0, 10));
        Page second = ListingParser.page("10", ListingParser.cursor(first.nextOffset(10)));
        assertThat(second).isEqualTo(new Page(10, 10));
        assertThat(second.nextOffset(7)).isEqualTo(-1);
    }

    @Test
    void should_read_a_surface_by_its_key_and_name_the_field_when_it_is_missing_or_unknown() {
        assertThat(ListingParser.surface("surface", "similar")).isEqualTo(io.tastemaker.recommend.Surface.SIMILAR);
        assertThat(ListingParser.surface("surface", "Feed")).isEqualTo(io.tastemaker.recommend.Surface.FEED);
        assertThatThrownBy(() -> ListingParser.surface("parts[1].surface", null)).isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors().get(0).field()).isEqualTo("parts[1].surface"));
        assertThatThrownBy(() -> ListingParser.surface("surface", "home")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("feed, similar, search, assistant");
    }

    @Test
    void should_stop_at_the_maximum_depth() {
        Page lastFullPage = new Page(Page.MAX_DEPTH - 100, 100);
        assertThat(lastFullPage.nextOffset(100)).isEqualTo(-1);
        Page nearTheEnd = ListingParser.page("100", cursorAt(Page.MAX_DEPTH - 30));
        assertThat(nearTheEnd.limit()).isEqualTo(30);
    }

    @Test
    void should_rank_every_page_of_a_window_from_the_same_candidates() {
        assertThat(ListingParser.page("2", null).depth()).isEqualTo(100);
        assertThat(new Page(98, 2).depth()).isEqualTo(100);
        assertThat(new Page(98, 3).depth()).isEqualTo(200);
        assertThat(new Page(Page.MAX_DEPTH - 30, 30).depth()).isEqualTo(Page.MAX_DEPTH);
    }

    private static String cursorAt(int offset) {
        return ListingParser.cursor(new Page(offset - 10, 10).nextOffset(10));
    }

    @Test
    void should_refuse_bad_limits_and_forged_cursors() {
        assertThatThrownBy(() -> ListingParser.page("-1", null)).isInstanceOf(InvalidInputException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> ListingParser.page(null, "bz")).isInstanceOf(InvalidInputException.class).hasMessageContaining("cursor");
        assertThatThrownBy(() -> ListingParser.page(null, "%%%")).isInstanceOf(InvalidInputException.class).hasMessageContaining("cursor");
    }

    @Test
    void should_read_filters_and_treat_blanks_as_absent() {
        VectorFilter filter = Filters.parse("Lighting", " ", "10", "99.5", "TRUE");

        assertThat(filter).isEqualTo(new VectorFilter("Lighting", null, new BigDecimal("10"), new BigDecimal("99.5"), true,
                java.util.Set.of()));
    }

    @Test
    void per_request_weights_replace_configured_ones_and_zero_switches_a_source_off() {
        Weights configured = new Weights(Map.of(Source.CO_ENGAGEMENT, 1.0, Source.TRENDING, 0.2));

        Weights overridden = configured.with(ListingParser.weights("weights", "trending:0, similar:1.5"));

        assertThat(overridden.uses(Source.TRENDING)).isFalse();
        assertThat(overridden.of(Source.SIMILAR)).isEqualTo(1.5);
        assertThat(overridden.of(Source.CO_ENGAGEMENT)).isEqualTo(1.0);
    }

    @Test
    void wrong_weights_name_the_field() {
        assertThatThrownBy(() -> ListingParser.weights("weights", "popularity:1"))
                .isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("weights"))
                .hasMessageContaining("unknown source 'popularity'");
        assertThatThrownBy(() -> ListingParser.weights("weights", "trending:-1"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ListingParser.weights("weights", "trending"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ListingParser.rerank("rerank", "maybe"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("true or false");
    }
}
