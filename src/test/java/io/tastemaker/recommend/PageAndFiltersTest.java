package io.tastemaker.recommend;

import io.tastemaker.api.InvalidInputException;
import io.tastemaker.vectors.VectorFilter;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageAndFiltersTest {

    @Test
    void should_walk_pages_with_cursors_until_a_short_page() {
        Page first = Page.parse("10", null);
        assertThat(first).isEqualTo(new Page(0, 10));
        Page second = Page.parse("10", first.next(10));
        assertThat(second).isEqualTo(new Page(10, 10));
        assertThat(second.next(7)).isNull();
    }

    @Test
    void should_stop_at_the_maximum_depth() {
        Page lastFullPage = new Page(Page.MAX_DEPTH - 100, 100);
        assertThat(lastFullPage.next(100)).isNull();
        Page nearTheEnd = Page.parse("100", cursorAt(Page.MAX_DEPTH - 30));
        assertThat(nearTheEnd.limit()).isEqualTo(30);
    }

    @Test
    void should_rank_every_page_of_a_window_from_the_same_candidates() {
        assertThat(Page.parse("2", null).depth()).isEqualTo(100);
        assertThat(new Page(98, 2).depth()).isEqualTo(100);
        assertThat(new Page(98, 3).depth()).isEqualTo(200);
        assertThat(new Page(Page.MAX_DEPTH - 30, 30).depth()).isEqualTo(Page.MAX_DEPTH);
    }

    private static String cursorAt(int offset) {
        return new Page(offset - 10, 10).next(10);
    }

    @Test
    void should_refuse_bad_limits_and_forged_cursors() {
        assertThatThrownBy(() -> Page.parse("-1", null)).isInstanceOf(InvalidInputException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> Page.parse(null, "bz")).isInstanceOf(InvalidInputException.class).hasMessageContaining("cursor");
        assertThatThrownBy(() -> Page.parse(null, "%%%")).isInstanceOf(InvalidInputException.class).hasMessageContaining("cursor");
    }

    @Test
    void should_read_filters_and_treat_blanks_as_absent() {
        VectorFilter filter = Filters.parse("Lighting", " ", "10", "99.5", "TRUE");

        assertThat(filter).isEqualTo(new VectorFilter("Lighting", null, new BigDecimal("10"), new BigDecimal("99.5"), true,
                java.util.Set.of()));
    }
}
