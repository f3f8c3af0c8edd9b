package io.tastemaker.operations;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.security.Actor;
import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

/**
 * Sends dead letters back to their source topic after a fix, each once, and records who did it
 * ({@link DeadLetters#republish}). Off the event loop: it reads the dead-letter topic, writes the
 * ledger in PostgreSQL and waits for the broker's acknowledgement.
 */
@Path("/v1/operations/dead-letters:republish")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
@RolesAllowed(Roles.OPERATOR)
@Blocking
public class RepublishResource {

    static final int MAX_REPUBLISH = 100;

    private final DeadLetters deadLetters;
    private final SecurityIdentity identity;

    RepublishResource(DeadLetters deadLetters, SecurityIdentity identity) {
        this.deadLetters = deadLetters;
        this.identity = identity;
    }

    public record Republished(int republished, List<DeadLetters.Outcome> deadLetters) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send dead letters back to the topic they came from, after a fix",
            description = "Body {deadLetters:[{topic, partition, offset}]}, 1 to 100. Each record goes back as it was "
                    + "(same key and value: an event keeps its eventId), once: a dead letter re-published before "
                    + "answers 'already-republished' and is not sent again. 202 once the broker acknowledged every one "
                    + "sent (200 when none needed sending); 404 when one is not on its topic, 409 when one is an erased "
                    + "shopper's; 503 with Retry-After when the broker does not take them (sending again is safe). "
                    + "Who did it is recorded (the key, and X-Actor as 'on behalf of').")
    public Response republish(JsonNode body, @HeaderParam(Actor.ON_BEHALF_OF_HEADER) String onBehalfOf) {
        String actor = Actor.of(identity, onBehalfOf);
        List<RepublishLedger.Place> places = places(body);
        List<DeadLetters.Outcome> outcomes = deadLetters.republish(places, actor);
        long sent = outcomes.stream().filter(o -> o.status().equals(DeadLetters.Outcome.REPUBLISHED)).count();
        return Response.status(sent > 0 ? 202 : 200).entity(new Republished((int) sent, outcomes)).build();
    }

    private List<RepublishLedger.Place> places(JsonNode body) {
        JsonNode array = body == null ? null : body.get("deadLetters");
        if (array == null || !array.isArray()) {
            throw new InvalidInputException("deadLetters", "is required: an array of {topic, partition, offset}");
        }
        if (array.isEmpty() || array.size() > MAX_REPUBLISH) {
            throw new InvalidInputException("deadLetters", "must hold 1 to " + MAX_REPUBLISH + " dead letters, got "
                    + array.size());
        }
        List<FieldError> errors = new ArrayList<>();
        List<RepublishLedger.Place> places = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String prefix = "deadLetters[" + i + "].";
            JsonNode item = array.get(i);
            JsonNode topic = item.get("topic");
            JsonNode partition = item.get("partition");
            JsonNode offset = item.get("offset");
            int before = errors.size();
            if (topic == null || !topic.isTextual() || !deadLetters.deadLetterTopics().contains(topic.asText())) {
                errors.add(new FieldError(prefix + "topic", "must be one of " + deadLetters.deadLetterTopics()));
            }
            if (partition == null || !partition.canConvertToInt() || !partition.isIntegralNumber() || partition.asInt() < 0) {
                errors.add(new FieldError(prefix + "partition", "must be a whole number, 0 or more"));
            }
            if (offset == null || !offset.isIntegralNumber() || !offset.canConvertToLong() || offset.asLong() < 0) {
                errors.add(new FieldError(prefix + "offset", "must be a whole number, 0 or more"));
            }
            if (errors.size() == before) {
                places.add(new RepublishLedger.Place(topic.asText(), partition.asInt(), offset.asLong()));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (places.stream().distinct().count() < places.size()) {
            throw new InvalidInputException("deadLetters", "names a dead letter twice");
        }
        return places;
    }
}
