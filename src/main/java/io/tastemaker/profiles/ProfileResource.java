package io.tastemaker.profiles;

import io.tastemaker.api.UserIds;
import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.tastemaker.api.ApiException;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What Tastemaker believes a shopper likes, for data scientists and support. */
@Path("/v1/users/{userId}/profile")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Profiles")
@RolesAllowed(Roles.DATA_SCIENTIST)
public class ProfileResource {

    /** A category or brand with its share of the shopper's positive, decayed engagement. */
    public record Affinity(String name, double share) {
    }

    public record RecentItem(String productId, String title, String type, Instant occurredAt) {
    }

    public record ProfileView(String userId, long events, Instant lastEventAt, String modelVersion, boolean hasTasteVector,
                              List<Affinity> topCategories, List<Affinity> topBrands, List<RecentItem> recentItems,
                              int hiddenCount, int purchasedCount) {
    }

    private final ProfileService profiles;
    private final VectorIndex index;

    ProfileResource(ProfileService profiles, VectorIndex index) {
        this.profiles = profiles;
        this.index = index;
    }

    @GET
    @Operation(summary = "A shopper's taste profile", description = "Top categories and brands (share of decayed "
            + "positive engagement), recent items, counts of hidden and bought items, and when it last changed.")
    public ProfileView profile(@PathParam("userId") String userId) {
        UserIds.validate("userId", userId);
        TasteProfile p = profiles.find(userId).orElseThrow(() ->
                ApiException.notFound("No engagement has been recorded for user '" + userId + "' yet."));
        List<TasteProfile.Recent> recent = p.recent();
        Map<String, VectorRecord> products = index.get(recent.stream().map(TasteProfile.Recent::productId).toList());
        List<RecentItem> recentItems = recent.stream().map(r -> new RecentItem(r.productId(),
                products.containsKey(r.productId()) ? products.get(r.productId()).payload().title() : null,
                r.type(), r.occurredAt())).toList();
        return new ProfileView(userId, p.events(), p.asOf(), p.modelVersion(), p.direction() != null,
                affinities(p.categories()), affinities(p.brands()), recentItems, p.hidden().size(), p.purchased().size());
    }

    private static List<Affinity> affinities(Map<String, Double> weights) {
        double total = weights.values().stream().mapToDouble(w -> Math.max(0, w)).sum();
        return TasteProfile.strongest(weights, 5).stream()
                .map(e -> new Affinity(e.getKey(), Math.round(1000 * e.getValue() / total) / 1000.0))
                .toList();
    }
}
