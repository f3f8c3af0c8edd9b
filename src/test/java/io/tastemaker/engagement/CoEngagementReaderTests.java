package io.tastemaker.engagement;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.tastemaker.db.DatabaseReads;
import io.tastemaker.profiles.ProfileService;
import io.tastemaker.recommend.sources.Candidate;
import io.tastemaker.recommend.sources.CoEngagementGraph;
import io.tastemaker.recommend.sources.CoEngagementGraphContract;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The serving co-engagement graph (the consumer's links in PostgreSQL) against the shared contract,
 * and how it keeps links in memory: read once, read again only when a batch names the product
 * ({@link EngagementChanges} follows the names).
 * Links are changed "behind its back" (an UPDATE no batch names) to tell a kept list from one read again.
 */
@QuarkusTest
class CoEngagementReaderTests extends CoEngagementGraphContract {

    @Inject
    CoEngagementReader reader;
    @Inject
    EngagementStore store;
    @Inject
    DatabaseReads reads;
    @Inject
    EngagementConfig config;
    @Inject
    Pool pool;
    @Inject
    ProfileService profiles;

    @Override
    protected CoEngagementGraph replay(List<List<String>> shoppers) {
        ServingHistory.post(shoppers);
        return reader;
    }

    @Test
    void kept_links_are_not_read_again_until_a_batch_names_their_product() {
        String p = "keep-" + UUID.randomUUID() + "-";
        addLinks(Map.of(new EngagementStore.LinkKey(p + "a", p + "b"), 1.0));
        assertThat(reader.next(List.of(p + "a"), 10).get(p + "a")).containsExactly(new Candidate(p + "b", 1.0, null));
        ChangesPolls.waitOut(config, 3); // the reader has seen the batch that wrote a's link

        changeBehindItsBack(p + "a", 5.0);
        ChangesPolls.waitOut(config, 3); // several polls of the changes later, still the kept list: nothing named the product
        assertThat(reader.next(List.of(p + "a"), 10).get(p + "a")).containsExactly(new Candidate(p + "b", 1.0, null));

        addLinks(Map.of(new EngagementStore.LinkKey(p + "a", p + "c"), 2.0)); // a batch names a
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(reader.next(List.of(p + "a"), 10).get(p + "a"))
                        .containsExactly(new Candidate(p + "b", 5.0, null), new Candidate(p + "c", 2.0, null)));
    }

    @Test
    void a_starting_reader_reads_the_whole_graph_before_anyone_asks() {
        String p = "whole-" + UUID.randomUUID() + "-";
        addLinks(Map.of(new EngagementStore.LinkKey(p + "a", p + "b"), 1.0,
                new EngagementStore.LinkKey(p + "a", p + "c"), 3.0));
        CoEngagementReader starting = new CoEngagementReader(store, reads, config, new SimpleMeterRegistry());
        EngagementChanges following = new EngagementChanges(store, reads, starting,
                new ShopperHistoryIndex(store, reads, config, new SimpleMeterRegistry()), profiles, config);
        try {
            following.start(true);
            await().atMost(Duration.ofSeconds(60)).until(() -> starting.keeps(p + "a"));

            changeBehindItsBack(p + "a", 9.0);
            assertThat(starting.next(List.of(p + "a"), 10).get(p + "a"))
                    .containsExactly(new Candidate(p + "c", 3.0, null), new Candidate(p + "b", 1.0, null));
        } finally {
            following.stop();
        }
    }

    private void addLinks(Map<EngagementStore.LinkKey, Double> links) {
        store.inTransaction(tx -> {
            tx.addLinks(links);
            tx.nameChanges(links.keySet().stream().map(EngagementStore.LinkKey::from).toList(), List.of());
            return null;
        });
    }

    /** Every link out of {@code from} weighs {@code weight} now, with no batch naming it. */
    private void changeBehindItsBack(String from, double weight) {
        pool.preparedQuery("UPDATE co_engagement SET weight = $2 WHERE from_product = $1")
                .execute(Tuple.of(from, weight)).await().atMost(Duration.ofSeconds(10));
    }
}
