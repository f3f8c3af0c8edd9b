package io.tastemaker.operations;

import io.smallrye.common.annotation.Blocking;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

/**
 * The operator's figures and dead letters (the console's operations section reads these). Off the
 * event loop: the summary asks the brokers and the readiness checks, dead letters are read from
 * their topics and the republish ledger is in PostgreSQL.
 */
@Path("/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
@RolesAllowed(Roles.OPERATOR)
@Blocking
public class OperationsResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final OperationsSummary summary;
    private final DeadLetters deadLetters;

    OperationsResource(OperationsSummary summary, DeadLetters deadLetters) {
        this.summary = summary;
        this.deadLetters = deadLetters;
    }

    /** The latest dead letters, and the topics that can be asked for. */
    public record DeadLetterPage(List<String> topics, int limit, List<DeadLetters.View> deadLetters) {
    }

    @GET
    @Path("/summary")
    @Operation(summary = "What an operator watches: consumer lag, events/s, p50/p99 per endpoint, LLM calls and cost, "
            + "circuit breakers, readiness, served-list drops",
            description = "Rates and latencies cover the last minute (windowSeconds says how much of it this process "
                    + "has seen). Lag is per consumer group, from the brokers' committed offsets; a figure the "
                    + "brokers cannot give is null with consumersUnavailable saying why.")
    public OperationsSummary.Summary summary() {
        return summary.summary();
    }

    @GET
    @Path("/dead-letters")
    @Operation(summary = "The latest dead letters of each dead-letter topic, newest first",
            description = "topic (optional): one of the dead-letter topics; limit (1-500, default 50): per topic "
                    + "partition. Each names its reason, source topic/partition/offset, time and payload; an erased "
                    + "shopper's are listed without key, reason and payload ('withheld'). 'republished' says who sent "
                    + "it back and when.")
    public DeadLetterPage list(@QueryParam("topic") String topic, @QueryParam("limit") String limit) {
        List<FieldError> errors = new ArrayList<>();
        String chosen = topic == null || topic.isBlank() ? null : topic.strip();
        if (chosen != null && !deadLetters.deadLetterTopics().contains(chosen)) {
            errors.add(new FieldError("topic", "must be one of " + deadLetters.deadLetterTopics()));
        }
        int size = DEFAULT_LIMIT;
        if (limit != null && !limit.isBlank()) {
            try {
                size = Integer.parseInt(limit.strip());
                if (size < 1 || size > MAX_LIMIT) {
                    errors.add(new FieldError("limit", "must be from 1 to " + MAX_LIMIT + ", got " + size));
                }
            } catch (NumberFormatException e) {
                errors.add(new FieldError("limit", "must be a whole number from 1 to " + MAX_LIMIT));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new DeadLetterPage(deadLetters.deadLetterTopics(), size, deadLetters.latest(chosen, size));
    }
}
