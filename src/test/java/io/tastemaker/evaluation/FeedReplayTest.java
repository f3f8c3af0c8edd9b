package io.tastemaker.evaluation;

import io.tastemaker.recommend.Fusion;
import io.tastemaker.recommend.Weights;
import io.tastemaker.recommend.sources.Candidate;
import io.tastemaker.recommend.sources.Retrieved;
import io.tastemaker.recommend.sources.Source;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FeedReplayTest {

    private static final double[] FLOORS = {0, 2, 8, 16};

    @Test
    void the_weight_searchs_table_ranks_as_the_services_fusion_does_with_or_without_a_floor() {
        Random r = new Random(5);
        List<Source> sources = List.of(Source.PROFILE, Source.SIMILAR, Source.CO_ENGAGEMENT, Source.TRENDING);
        int hits = 0;
        for (int run = 0; run < 2000; run++) {
            List<Retrieved> lists = new ArrayList<>();
            for (Source source : sources) {
                List<Candidate> candidates = new ArrayList<>();
                Set<String> ids = new HashSet<>();
                int n = r.nextInt(30);
                for (int i = 0; i < n; i++) {
                    String id = "p" + r.nextInt(60);
                    if (ids.add(id)) {
                        // coarse scores make ties, which both must break by id
                        candidates.add(new Candidate(id, r.nextInt(5) * (source == Source.CO_ENGAGEMENT ? 3.0 : 0.25), null));
                    }
                }
                candidates.sort((a, b) -> Double.compare(b.score(), a.score()));
                lists.add(new Retrieved(source, candidates));
            }
            Set<String> history = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                history.add("p" + r.nextInt(60));
            }
            String target = "p" + r.nextInt(60);
            Weights weights = new Weights(Map.of(Source.PROFILE, (double) r.nextInt(3), Source.SIMILAR, r.nextInt(4) * 0.5,
                    Source.CO_ENGAGEMENT, 1.0, Source.TRENDING, r.nextInt(3) * 0.35))
                    .withFloor(Source.CO_ENGAGEMENT, FLOORS[r.nextInt(FLOORS.length)]); // co-engagement's best is 0..12
            for (Fusion.Method method : Fusion.Method.values()) {
                int expected = FeedReplay.rank(lists, weights, method, history, target, 10);
                assertThat(new FeedReplay.Table(lists, method, history, target).rank(weights, 10))
                        .as("run %d, %s", run, method).isEqualTo(expected);
                hits += expected >= 0 ? 1 : 0;
            }
        }
        assertThat(hits).isGreaterThan(200); // the comparison saw hits, not only misses
    }
}
