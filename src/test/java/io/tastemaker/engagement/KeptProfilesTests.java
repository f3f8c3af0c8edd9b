package io.tastemaker.engagement;

import io.quarkus.test.junit.QuarkusTest;
import io.tastemaker.profiles.ProfileService;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.shoppers.ShopperData;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the API keeps taste profiles in memory: a profile read once is served without reading it
 * again until a change names its shopper (another instance's batch, an erasure elsewhere).
 * Profiles are saved "behind its back" (a transaction that names nothing) to tell a kept profile
 * from one read again.
 */
@QuarkusTest
class KeptProfilesTests {

    @Inject
    ProfileService profiles;
    @Inject
    EngagementStore store;
    @Inject
    ShopperData shoppers;
    @Inject
    EngagementConfig config;

    @Test
    void a_kept_profile_is_read_again_only_when_a_change_names_its_shopper() {
        String shopper = "kept-" + UUID.randomUUID();
        save(shopper, 1, false);
        assertThat(profiles.find(shopper)).map(TasteProfile::events).contains(1L);

        save(shopper, 2, false);
        ChangesPolls.waitOut(config, 3); // several polls of the changes later, still the kept profile: nothing named the shopper
        assertThat(profiles.find(shopper)).map(TasteProfile::events).contains(1L);

        save(shopper, 3, true); // as another instance's batch does
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(profiles.find(shopper)).map(TasteProfile::events).contains(3L));
    }

    @Test
    void what_this_instances_consumer_changed_is_not_read_again_when_the_change_is_seen_among_all() {
        String shopper = "own-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body("{\"events\":[{\"eventId\":\"" + UUID.randomUUID()
                + "\",\"type\":\"click\",\"userId\":\"" + shopper + "\",\"productId\":\"p-own\",\"occurredAt\":\""
                + Instant.now() + "\"}]}").post("/v1/events").then().statusCode(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(profiles.find(shopper)).map(TasteProfile::events).contains(1L));

        save(shopper, 4, false);
        ChangesPolls.waitOut(config, 3); // the consumer's own change has been read among all changes meanwhile
        assertThat(profiles.find(shopper)).map(TasteProfile::events).contains(1L);
    }

    @Test
    void a_shopper_erased_by_another_instance_loses_the_profile_kept_here() {
        String shopper = "erased-" + UUID.randomUUID();
        save(shopper, 2, false);
        assertThat(profiles.find(shopper)).isPresent();

        shoppers.erase(shopper, "test"); // not through this instance's API, which would forget at once
        await().atMost(Duration.ofSeconds(20)).until(() -> profiles.find(shopper).isEmpty());
    }

    @Test
    void a_shopper_without_a_profile_gets_one_once_a_change_names_them() {
        String shopper = "new-" + UUID.randomUUID();
        assertThat(profiles.find(shopper)).isEmpty(); // the absence is kept too
        save(shopper, 1, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> profiles.find(shopper).isPresent());
    }

    @Test
    void the_profiles_of_the_shoppers_who_engaged_last_are_kept_before_they_ask() {
        String earlier = "warm-earlier-" + UUID.randomUUID();
        String later = "warm-later-" + UUID.randomUUID();
        save(earlier, 1, false);
        save(later, 1, false);
        List<String> newestFirst = store.recentlyUpdated(1_000);
        assertThat(newestFirst).contains(earlier, later);
        assertThat(newestFirst.indexOf(later)).isLessThan(newestFirst.indexOf(earlier));

        profiles.warm(); // as a serving process does at start
        save(later, 2, false);
        assertThat(profiles.find(later)).map(TasteProfile::events).contains(1L); // kept by the warm-up, not read again
    }

    /** Stores a profile of {@code events} clicks for {@code shopper}, naming the change or not. */
    private void save(String shopper, int events, boolean named) {
        TasteProfile profile = new TasteProfile(shopper);
        for (int i = 0; i < events; i++) {
            profile.apply(new TasteProfile.Engagement("p-" + i, "click", 1.0, Instant.now(), null, null, null, "Lamps",
                    "Acme"), config.profileHalfLife(), null);
        }
        store.inTransaction(tx -> {
            tx.saveProfiles(List.of(profile), Instant.now());
            if (named) {
                tx.nameChanges(List.of(), List.of(shopper));
            }
            return null;
        });
    }
}
