package io.tastemaker.evaluation;

import io.tastemaker.engagement.CoEngagement;
import io.tastemaker.engagement.EngagementConfig;
import io.tastemaker.recommend.sources.CoEngagementGraph;
import io.tastemaker.recommend.sources.CoEngagementGraphContract;
import io.tastemaker.recommend.sources.Popularity;
import io.tastemaker.recommend.sources.PopularityContract;
import io.tastemaker.recommend.sources.ShopperHistoriesContract;
import io.tastemaker.vectors.VectorFilter;
import org.junit.jupiter.api.Nested;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline evaluation's engagement ({@link OfflineEngagement}) against the same port contracts
 * as the serving adapters, replaying the history as the evaluation replays a dataset: each
 * shopper's items as an id sequence, with the service's co-engagement defaults.
 */
class OfflineEngagementContractTest {

    @Nested
    class AsCoEngagementGraph extends CoEngagementGraphContract {
        @Override
        protected CoEngagementGraph replay(List<List<String>> shoppers) {
            return OfflineEngagementContractTest.replay(shoppers);
        }
    }

    @Nested
    class AsPopularity extends PopularityContract {
        @Override
        protected Popularity replay(List<List<String>> shoppers) {
            return OfflineEngagementContractTest.replay(shoppers);
        }

        @Override
        protected VectorFilter onlyTheHistory() {
            return VectorFilter.NONE; // it holds nothing else
        }
    }

    @Nested
    class AsShopperHistories extends ShopperHistoriesContract {
        @Override
        protected Replayed replay(List<List<String>> shoppers) {
            List<String> ids = new ArrayList<>();
            for (int s = 0; s < shoppers.size(); s++) {
                ids.add(OfflineEngagement.shopperId(s));
            }
            return new Replayed(OfflineEngagementContractTest.replay(shoppers), ids);
        }
    }

    /** The shoppers' sequences as the evaluation's integer item sequences, then replayed. */
    static OfflineEngagement replay(List<List<String>> shoppers) {
        Map<String, Integer> numbers = new HashMap<>();
        List<String> ids = new ArrayList<>();
        List<int[]> training = new ArrayList<>();
        for (List<String> shopper : shoppers) {
            training.add(shopper.stream().mapToInt(id -> numbers.computeIfAbsent(id, k -> {
                ids.add(k);
                return ids.size() - 1;
            })).toArray());
        }
        return OfflineEngagement.replay(training, ids::get, serviceDefaults());
    }

    private static CoEngagement serviceDefaults() {
        return new CoEngagement(Integer.parseInt(EngagementConfig.DEFAULT_CO_ENGAGEMENT_WINDOW),
                Double.parseDouble(EngagementConfig.DEFAULT_CO_ENGAGEMENT_STEP_DECAY));
    }
}
