package io.tastemaker.engagement;

import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Engagement intake. Valid events go to the engagement topic even when others in the same
 * request are invalid; the answer comes only after the broker acknowledged them.
 */
@Path("/v1/events")
@Tag(name = "Storefront")
@RolesAllowed(Roles.STOREFRONT)
public class EventResource {

    private final EventCodec codec;
    private final EngagementPublisher publisher;
    private final EngagementConfig config;

    EventResource(EventCodec codec, EngagementPublisher publisher, EngagementConfig config) {
        this.codec = codec;
        this.publisher = publisher;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record engagement (pin, click, view, add_to_cart, purchase, hide) and impressions",
            description = "Body {events:[{eventId, type, userId, productId, sessionId?, boardId?, occurredAt, recommId?, position?, "
                    + "value? and currency? (purchase)}]}, up to 500; an impression names productIds (1-100) and a recommId "
                    + "instead of a productId. "
                    + "202 once the broker has every event. If some events are invalid, the valid ones are still "
                    + "recorded and the answer is a 400 problem naming each invalid field (events[i].field) with "
                    + "'accepted' and 'rejected' counts. Retrying is safe: an eventId counts once.")
    public Uni<Response> record(JsonNode body) {
        JsonNode array = body == null ? null : body.get("events");
        if (array == null || !array.isArray()) {
            throw new InvalidInputException("events", "is required: an array of engagement events");
        }
        if (array.isEmpty() || array.size() > config.maxEventsPerRequest()) {
            throw new InvalidInputException("events", "must hold 1 to " + config.maxEventsPerRequest()
                    + " events, got " + array.size());
        }
        Instant now = Instant.now();
        List<EngagementEvent> valid = new ArrayList<>(array.size());
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            try {
                valid.add(codec.read(array.get(i), "events[" + i + "].", now));
            } catch (InvalidInputException e) {
                errors.addAll(e.errors());
            }
        }
        int rejected = array.size() - valid.size();
        Uni<Void> acked = valid.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.createFrom().completionStage(publisher.publish(valid));
        return acked.map(ignored -> {
            if (rejected > 0) {
                throw new InvalidInputException(errors, rejected + " of " + array.size() + " events are invalid and were "
                        + "not recorded; the other " + valid.size() + " were accepted.",
                        Map.of("accepted", valid.size(), "rejected", rejected));
            }
            return Response.accepted(Map.of("accepted", valid.size())).build();
        });
    }
}
