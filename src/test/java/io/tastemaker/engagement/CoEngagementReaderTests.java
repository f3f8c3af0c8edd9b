package io.tastemaker.engagement;

import io.quarkus.test.junit.QuarkusTest;
import io.tastemaker.recommend.sources.CoEngagementGraph;
import io.tastemaker.recommend.sources.CoEngagementGraphContract;
import jakarta.inject.Inject;

import java.util.List;

/** The serving co-engagement graph (the consumer's links in PostgreSQL) against the shared contract. */
@QuarkusTest
class CoEngagementReaderTests extends CoEngagementGraphContract {

    @Inject
    CoEngagementReader reader;

    @Override
    protected CoEngagementGraph replay(List<List<String>> shoppers) {
        ServingHistory.post(shoppers);
        return reader;
    }
}
