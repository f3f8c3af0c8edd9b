package io.tastemaker.recommend;

import io.tastemaker.recommend.sources.Source;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.EnumMap;
import java.util.Map;

/**
 * How each storefront list blends its sources, and how diverse it must be. The feed's weights
 * are the ones the offline evaluation chose on the Beauty validation split (see
 * docs/models-and-quality.md); the others are starting points to tune with per-request overrides
 * ({@code weights=coEngagement:2,trending:0}).
 */
@ConfigMapping(prefix = "tastemaker.blend")
public interface BlendConfig {

    /** {@code score} (normalised score blend) or {@code rrf} (weighted reciprocal rank). */
    @WithDefault("score")
    Fusion.Method fusion();

    /**
     * Under {@code score} fusion, co-engagement scores are divided by at least this many links
     * ({@link Weights#floors()}); 0 divides by the best count alone. A version's evaluation may
     * choose its own for the feed ({@link VersionWeights}).
     */
    @WithDefault(BlendDefaults.CO_ENGAGEMENT_FLOOR)
    double coEngagementFloor();

    /** A surface's weights with the configured co-engagement floor under them. */
    default Weights floored(Weights weights) {
        return weights.withFloor(Source.CO_ENGAGEMENT, coEngagementFloor());
    }

    @WithDefault(BlendDefaults.ANCHORS)
    int anchors();

    @WithDefault(BlendDefaults.ANCHOR_DECAY)
    double anchorDecay();

    Feed feed();

    Similar similar();

    Search search();

    Assistant assistant();

    DiversityConfig diversity();

    interface Feed {
        @WithDefault("0.1")
        double profile();

        @WithDefault("2.0")
        double similar();

        @WithDefault("1.0")
        double coEngagement();

        /**
         * "Shoppers like you": what shoppers whose recent items overlap the shopper's engaged with.
         * Off by default: with the stock model it lifted Beauty's blend by no more than noise while
         * costing about a quarter of the feed's throughput; the evaluation gate chooses it per version
         * (a fine-tuned one on Beauty: 0.2), and a promotion brings that weight.
         */
        @WithDefault("0")
        double likeMinded();

        @WithDefault("0.35")
        double trending();

        /**
         * The new arrivals, asked only when the other sources propose fewer products than the page
         * window (a shop with no engagement yet, a narrow filter), for products they did not propose;
         * low, so what they found comes first.
         */
        @WithDefault("0.01")
        double fresh();

        default Weights weights() {
            return BlendConfig.weights(Source.PROFILE, profile(), Source.SIMILAR, similar(), Source.CO_ENGAGEMENT,
                    coEngagement(), Source.LIKE_MINDED, likeMinded(), Source.TRENDING, trending(), Source.FRESH, fresh());
        }
    }

    /** "More like this": content neighbours and what shoppers went on to; the profile when a shopper is known. */
    interface Similar {
        @WithDefault("1.0")
        double similar();

        @WithDefault("1.0")
        double coEngagement();

        @WithDefault("0.1")
        double profile();

        default Weights weights() {
            return BlendConfig.weights(Source.SIMILAR, similar(), Source.CO_ENGAGEMENT, coEngagement(), Source.PROFILE,
                    profile());
        }
    }

    /** Search ranks by the words first; the profile and popularity only break near-ties. */
    interface Search {
        @WithDefault("1.0")
        double query();

        @WithDefault("0.1")
        double profile();

        @WithDefault("0.05")
        double trending();

        default Weights weights() {
            return BlendConfig.weights(Source.QUERY, query(), Source.PROFILE, profile(), Source.TRENDING, trending());
        }
    }

    /** The assistant blends the request with the shopper's taste more strongly than search. */
    interface Assistant {
        @WithDefault("1.0")
        double query();

        @WithDefault("0.3")
        double profile();

        @WithDefault("0.05")
        double trending();

        default Weights weights() {
            return BlendConfig.weights(Source.QUERY, query(), Source.PROFILE, profile(), Source.TRENDING, trending());
        }
    }

    interface DiversityConfig {
        /** 1 = pure relevance; lower trades relevance for variety (maximal marginal relevance). */
        @WithDefault("0.85")
        double lambda();

        /** Caps count within any this many consecutive positions (0 = no caps). */
        @WithDefault("10")
        int window();

        @WithDefault("3")
        int maxPerBrand();

        @WithDefault("4")
        int maxPerCategory();

        default Diversity.Settings settings() {
            return new Diversity.Settings(lambda(), window(), maxPerBrand(), maxPerCategory());
        }
    }

    private static Weights weights(Object... sourcesAndWeights) {
        Map<Source, Double> w = new EnumMap<>(Source.class);
        for (int i = 0; i < sourcesAndWeights.length; i += 2) {
            w.put((Source) sourcesAndWeights[i], (Double) sourcesAndWeights[i + 1]);
        }
        return new Weights(w);
    }
}
