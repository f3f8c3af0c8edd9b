package io.tastemaker.engagement;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.tastemaker.db.DatabaseReads;
import io.tastemaker.profiles.ProfileService;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.sources.ShopperHistories;
import io.tastemaker.recommend.sources.ShopperHistoriesContract;
import io.tastemaker.shoppers.ShopperData;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The serving shoppers' histories (the profiles in PostgreSQL, kept in memory) against the shared
 * contract, and how they follow the profiles: a batch that names a shopper moves them to the front
 * of what they engaged with again, an erased shopper leaves both directions, and a starting
 * process reads every profile before anyone asks.
 */
@QuarkusTest
class ShopperHistoryIndexTests extends ShopperHistoriesContract {

    private static final Duration EVENTUALLY = Duration.ofSeconds(20);

    @Inject
    ShopperHistoryIndex index;
    @Inject
    EngagementStore store;
    @Inject
    DatabaseReads reads;
    @Inject
    EngagementConfig config;
    @Inject
    ProfileService profiles;
    @Inject
    ShopperData shoppers;

    @Override
    protected Replayed replay(List<List<String>> history) {
        List<String> ids = ServingHistory.post(history);
        // the consumer committed every event; the index follows within a poll of the changes
        await().atMost(EVENTUALLY).until(() -> index.historiesOf(ids).size() == ids.size()
                && index.historiesOf(ids).get(ids.get(4)).size() == 5);
        return new Replayed(index, ids);
    }

    @Test
    void a_shopper_who_engages_again_becomes_the_products_newest_shopper() {
        String p = "again-" + UUID.randomUUID();
        String first = p + "-first";
        String second = p + "-second";
        Instant t = Instant.now().minusSeconds(600);
        save(first, t, p + "-lamp");
        save(second, t.plusSeconds(60), p + "-lamp");
        await().atMost(EVENTUALLY).untilAsserted(() -> assertThat(index.shoppersOf(List.of(p + "-lamp"), 10))
                .containsEntry(p + "-lamp", new ShopperHistories.Shoppers(List.of(second, first), 2)));

        save(first, t.plusSeconds(120), p + "-rug", p + "-lamp"); // the lamp again, after the rug
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            assertThat(index.shoppersOf(List.of(p + "-lamp"), 10))
                    .containsEntry(p + "-lamp", new ShopperHistories.Shoppers(List.of(first, second), 2));
            assertThat(index.historiesOf(List.of(first))).containsEntry(first, List.of(p + "-rug", p + "-lamp"));
        });
    }

    @Test
    void an_erased_shopper_leaves_both_directions() {
        String p = "erased-" + UUID.randomUUID();
        String shopper = p + "-shopper";
        save(shopper, Instant.now().minusSeconds(60), p + "-lamp", p + "-rug");
        await().atMost(EVENTUALLY).until(() -> index.historiesOf(List.of(shopper)).containsKey(shopper));

        shoppers.erase(shopper, "test");
        await().atMost(EVENTUALLY).untilAsserted(() -> {
            assertThat(index.historiesOf(List.of(shopper))).isEmpty();
            assertThat(index.shoppersOf(List.of(p + "-lamp", p + "-rug"), 10)).isEmpty();
        });
    }

    @Test
    void a_starting_process_reads_every_profile_before_anyone_asks() {
        String p = "whole-" + UUID.randomUUID();
        String shopper = p + "-shopper";
        store.inTransaction(tx -> { // a profile no change names: only a whole read finds it
            tx.saveProfiles(List.of(profile(shopper, Instant.now().minusSeconds(60), p + "-lamp")), Instant.now());
            return null;
        });
        ShopperHistoryIndex starting = new ShopperHistoryIndex(store, reads, config, new SimpleMeterRegistry());
        EngagementChanges following = new EngagementChanges(store, reads,
                new CoEngagementReader(store, reads, config, new SimpleMeterRegistry()), starting, profiles, config);
        try {
            following.start(true);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(starting.shoppersOf(List.of(p + "-lamp"), 10))
                    .containsEntry(p + "-lamp", new ShopperHistories.Shoppers(List.of(shopper), 1)));
        } finally {
            following.stop();
        }
    }

    /** Stores {@code shopper}'s profile with these purchases added, one second apart from {@code at}, and names the change. */
    private void save(String shopper, Instant at, String... products) {
        TasteProfile profile = store.profile(shopper).orElseGet(() -> new TasteProfile(shopper));
        apply(profile, at, products);
        store.inTransaction(tx -> {
            tx.saveProfiles(List.of(profile), Instant.now());
            tx.nameChanges(List.of(), List.of(shopper));
            return null;
        });
    }

    private TasteProfile profile(String shopper, Instant at, String... products) {
        return apply(new TasteProfile(shopper), at, products);
    }

    private TasteProfile apply(TasteProfile profile, Instant at, String... products) {
        for (int i = 0; i < products.length; i++) {
            profile.apply(new TasteProfile.Engagement(products[i], "purchase", 5.0, at.plusSeconds(i), null, null, null,
                    null, null), config.profileHalfLife(), null);
        }
        return profile;
    }
}
