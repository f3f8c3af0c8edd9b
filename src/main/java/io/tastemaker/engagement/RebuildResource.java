package io.tastemaker.engagement;

import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import io.tastemaker.profiles.ProfileService;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

/**
 * Rebuilds every engagement-derived state (profiles, co-engagement, trending, dedupe window) by
 * replaying the engagement topic from its beginning: after a change of weights or half-lives,
 * or to recover from a lost database. Every instance's consumers take part. Erased shoppers stay
 * erased: the erasure list is not reset and every replayed batch consults it.
 */
@Path("/v1/admin/engagement/rebuild")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
@RolesAllowed(Roles.OPERATOR)
public class RebuildResource {

    /** Progress of a rebuild: events applied from the log so far, out of those on it. */
    public record Progress(long generation, long replayed, long onLog, double percent) {
    }

    private final EngagementStore store;
    private final ProfileService profiles;
    private final TrendingReader trending;
    private final KafkaClients kafka;
    private final Topics topics;

    RebuildResource(EngagementStore store, ProfileService profiles, TrendingReader trending, KafkaClients kafka, Topics topics) {
        this.store = store;
        this.profiles = profiles;
        this.trending = trending;
        this.kafka = kafka;
        this.topics = topics;
    }

    @POST
    @Operation(summary = "Rebuild engagement-derived state from the engagement topic",
            description = "Forgets profiles, co-engagement, trending and the dedupe window, and replays the topic "
                    + "from its beginning, skipping erased shoppers' events (the erasure list is kept). Answers 202 at "
                    + "once; GET shows progress.")
    public Response rebuild() {
        store.reset();
        profiles.forgetAll();
        trending.forget();
        return Response.accepted(progress()).build();
    }

    @GET
    @Operation(summary = "Progress of the engagement consumers through the engagement topic")
    public Progress progress() {
        Map<Integer, Long> applied = store.offsets(topics.engagement());
        try {
            Map<Integer, Long> starts = kafka.offsets(topics.engagement(), OffsetSpec.earliest());
            Map<Integer, Long> ends = kafka.offsets(topics.engagement(), OffsetSpec.latest());
            long replayed = 0;
            long onLog = 0;
            for (var end : ends.entrySet()) {
                long start = starts.get(end.getKey());
                onLog += end.getValue() - start;
                replayed += Math.max(0, applied.getOrDefault(end.getKey(), start) - start);
            }
            double percent = onLog == 0 ? 100 : Math.round(1000.0 * replayed / onLog) / 10.0;
            return new Progress(store.generation(), replayed, onLog, percent);
        } catch (Exception e) {
            throw io.tastemaker.api.ApiException.unavailable("The engagement topic's offsets are unavailable: " + e.getMessage());
        }
    }
}
