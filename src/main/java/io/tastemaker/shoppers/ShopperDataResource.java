package io.tastemaker.shoppers;

import io.smallrye.common.annotation.Blocking;
import io.tastemaker.api.UserIds;
import io.tastemaker.api.ApiException;
import io.tastemaker.models.experiments.Assignments;
import io.tastemaker.models.experiments.Split;
import io.tastemaker.profiles.ProfileService;
import io.quarkus.security.identity.SecurityIdentity;
import io.tastemaker.security.Actor;
import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/**
 * A shopper's data rights, for operators answering their requests: everything stored about them
 * (access) and erasure. See docs/shopper-data.md.
 */
@Blocking
// "/v1" like the storefront's lists: a class at /v1/users/{userId} would shadow /v1/users/{userId}/feed
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Shopper data")
@RolesAllowed(Roles.OPERATOR)
public class ShopperDataResource {

    /** The experiment variant the shopper's id falls in (computed from the id, not stored). */
    public record ExperimentAssignment(long experimentId, String variant) {
    }

    public record Listed<T>(long count, List<T> items) {
    }

    public record DataView(String userId, ShopperData.Erasure erasure, ShopperData.StoredProfile profile,
                           Listed<ShopperData.SeenId> dedupeIds, Listed<ShopperData.QueryLink> queryLinks,
                           Listed<ShopperData.ServedList> servedLists, List<ShopperData.ExperimentTotals> experimentTotals,
                           ExperimentAssignment experiment, EngagementLogScan.Scan engagementLog, List<String> notes) {
    }

    public record ErasureView(String userId, Instant erasedAt, String requestedBy, boolean alreadyErased,
                              ShopperData.Removed removed, List<String> kept) {
    }

    private final ShopperData data;
    private final EngagementLogScan log;
    private final ProfileService profiles;
    private final Assignments assignments;
    private final ShoppersConfig config;
    private final SecurityIdentity identity;

    ShopperDataResource(ShopperData data, EngagementLogScan log, ProfileService profiles, Assignments assignments,
                        ShoppersConfig config, SecurityIdentity identity) {
        this.identity = identity;
        this.data = data;
        this.log = log;
        this.profiles = profiles;
        this.assignments = assignments;
        this.config = config;
    }

    @GET
    @Path("/users/{userId}/data")
    @Operation(summary = "Everything stored about a shopper (access request)", description = "The taste profile as "
            + "stored, the dedupe ids of their recent events, the query links they contributed, the lists served to them "
            + "and their totals in experiments (attribution), their erasure if any, "
            + "the experiment variant their id falls in, and their events on the engagement topic from a bounded scan "
            + "of their partition (engagementLog.complete says whether it read the whole partition). An erased "
            + "shopper's events are counted, not listed: they stay on the log, skipped by every consumer.")
    public DataView data(@PathParam("userId") String userId) {
        UserIds.validate("userId", userId);
        ShopperData.Stored stored = data.stored(userId, config.maxListed());
        boolean erased = stored.erasure().isPresent();
        Split split = assignments.split();
        ExperimentAssignment experiment = split == null || erased ? null
                : new ExperimentAssignment(split.id(), split.variantOf(userId).jsonName());
        EngagementLogScan.Scan scan;
        try {
            scan = log.scan(userId, !erased);
        } catch (org.apache.kafka.common.KafkaException e) {
            // an access answer without the log would look complete: fail it, the operator asks again
            throw ApiException.unavailable("The engagement topic could not be read: " + e.getMessage());
        }
        return new DataView(userId, stored.erasure().orElse(null), stored.profile().orElse(null),
                new Listed<>(stored.dedupeIdCount(), stored.dedupeIds()),
                new Listed<>(stored.queryLinkCount(), stored.queryLinks()),
                new Listed<>(stored.servedListCount(), stored.servedLists()), stored.experimentTotals(), experiment, scan,
                notes(erased));
    }

    @DELETE
    @Path("/users/{userId}")
    @Operation(summary = "Erase a shopper", description = "Deletes their taste profile, the dedupe ids of their events "
            + "and their share of the query links (words only they typed leave the training export), the lists served to "
            + "them and their totals in experiments, and puts them on "
            + "the erasure list: every consumer, replay and rebuild skips their events from now on, whenever they were "
            + "sent. Anonymous aggregates (co-engagement, trending, experiment tallies) keep their counts. Idempotent: "
            + "erasing again answers alreadyErased with the first erasure's time.")
    public ErasureView erase(@PathParam("userId") String userId,
                             @HeaderParam(Actor.ON_BEHALF_OF_HEADER) String onBehalfOf) {
        UserIds.validate("userId", userId);
        ShopperData.Erased erased = data.erase(userId, Actor.of(identity, onBehalfOf));
        profiles.forget(userId);
        return new ErasureView(userId, erased.erasedAt(), erased.requestedBy(), erased.alreadyErased(), erased.removed(),
                KEPT);
    }

    private static final List<String> KEPT = List.of(
            "engagement topic: the shopper's events stay on the log (it cannot be rewritten) and are skipped by every "
                    + "consumer, replay and rebuild",
            "co-engagement, trending, experiment tallies and placement outcomes: anonymous counts, not attributable to the "
                    + "shopper",
            "query links other shoppers also contributed: their words, less this shopper's weight");

    private static List<String> notes(boolean erased) {
        return erased ? List.of("The shopper is erased: nothing is stored about them but the erasure itself; their "
                + "events remain on the engagement log, counted here and skipped by every consumer and rebuild.")
                : List.of("co-engagement, trending and experiment tallies hold anonymous counts that include this "
                + "shopper's engagement and are not listed per shopper.");
    }
}
