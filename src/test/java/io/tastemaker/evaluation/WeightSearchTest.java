package io.tastemaker.evaluation;

import io.tastemaker.recommend.Weights;
import io.tastemaker.recommend.sources.Source;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;

class WeightSearchTest {

    private static final Weights START = new Weights(Map.of(Source.SIMILAR, 0.5, Source.CO_ENGAGEMENT, 1.0));

    @Test
    void a_floor_that_wins_is_kept_and_the_weights_are_chosen_again_under_it() {
        // best without a floor: similar 0.5 (-4); floor 4 at similar 0.5: -1; under floor 4, similar 1.5: 0
        ToDoubleFunction<Weights> objective = w -> {
            double floor = w.floor(Source.CO_ENGAGEMENT);
            return -Math.abs(floor - 4) - Math.abs(w.of(Source.SIMILAR) - (floor > 0 ? 1.5 : 0.5));
        };
        List<String> log = new ArrayList<>();

        WeightSearch.Result chosen = WeightSearch.chooseWithFloor(START, List.of(Source.SIMILAR), objective, log::add);

        assertThat(chosen.weights().floor(Source.CO_ENGAGEMENT)).isEqualTo(4.0);
        assertThat(chosen.weights().of(Source.SIMILAR)).isEqualTo(1.5);
        assertThat(chosen.value()).isEqualTo(0.0);
        assertThat(log).contains("co-engagement floor 4.0: NDCG@10 -1.0000");
    }

    @Test
    void no_floor_is_chosen_when_none_does_better() {
        ToDoubleFunction<Weights> objective = w -> -w.floor(Source.CO_ENGAGEMENT) - Math.abs(w.of(Source.SIMILAR) - 2);

        WeightSearch.Result chosen = WeightSearch.chooseWithFloor(START, List.of(Source.SIMILAR), objective, line -> { });

        assertThat(chosen.weights()).isEqualTo(new Weights(Map.of(Source.SIMILAR, 2.0, Source.CO_ENGAGEMENT, 1.0)));
    }

    @Test
    void a_configured_floor_is_where_the_search_starts_and_no_floor_is_one_it_may_choose() {
        Weights configured = START.withFloor(Source.CO_ENGAGEMENT, 8);
        ToDoubleFunction<Weights> objective = w -> -w.floor(Source.CO_ENGAGEMENT);

        assertThat(WeightSearch.chooseWithFloor(configured, List.of(Source.SIMILAR), objective, line -> { })
                .weights().floor(Source.CO_ENGAGEMENT)).isEqualTo(0.0);
    }
}
