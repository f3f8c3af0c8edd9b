package io.tastemaker.streams;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.tastemaker.runtime.InstanceRole;
import io.tastemaker.runtime.RuntimeConfig;
import io.tastemaker.runtime.StartupState;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * The broker's part in readiness, by role. An {@code ingest} instance is ready only when the broker
 * answers and every consumer is processing: without them it does nothing. An instance that serves
 * ({@code api}, {@code all}) stays ready while the broker is down, since reads do not need it and
 * events and catalog writes answer 503 with Retry-After on their own; the outage shows in the
 * check's data ({@code degraded}), so taking every API pod out of the load balancer cannot turn a
 * Kafka outage into a storefront outage. Asynchronous and bounded, so a probe never hangs on a dead broker.
 */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements AsyncHealthCheck {

    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(800);

    private final KafkaClients kafka;
    private final StartupState startup;
    private final RunningConsumers consumers;
    private final InstanceRole role;

    BrokerReadiness(KafkaClients kafka, StartupState startup, RunningConsumers consumers, RuntimeConfig runtime) {
        this.kafka = kafka;
        this.startup = startup;
        this.consumers = consumers;
        this.role = InstanceRole.of(runtime);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka")
                .withData("bootstrapServers", kafka.bootstrapServers())
                .withData("role", role.configName());
        if (!startup.started()) {
            return Uni.createFrom().item(response.down().withData("reason", "starting").build());
        }
        return brokers().map(nodes -> judge(response, nodes));
    }

    /** How many brokers answer, or a failure's description when none does within the probe's bound. */
    private Uni<Object> brokers() {
        return Uni.createFrom().completionStage(() -> kafka.admin()
                        .describeCluster(new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis()))
                        .nodes().toCompletionStage())
                .ifNoItem().after(PROBE_TIMEOUT.plusMillis(200)).fail()
                .<Object>map(nodes -> nodes.size())
                .onFailure().recoverWithItem(e -> "unreachable: " + e);
    }

    private HealthCheckResponse judge(HealthCheckResponseBuilder response, Object brokers) {
        boolean reachable = brokers instanceof Integer;
        response.withData("brokers", reachable ? String.valueOf(brokers) : (String) brokers);
        Duration refused = kafka.writesRefusedFor();
        String failing = null;
        long lag = 0;
        for (ConsumerLoop consumer : consumers.all()) {
            if (!consumer.healthy()) {
                failing = "a consumer is failing; see the log";
            }
            lag += consumer.lag();
        }
        response.withData("consumerLag", lag);
        if (!role.serves()) {
            if (!reachable) {
                return response.down().withData("reason", "broker unreachable").build();
            }
            return failing == null ? response.up().build() : response.down().withData("reason", failing).build();
        }
        if (!reachable || !refused.isZero()) {
            response.withData("degraded", "the broker is unavailable: events and catalog writes answer 503 with"
                    + " Retry-After, reads are served");
        }
        if (failing != null) {
            response.withData("consumers", failing);
        }
        return response.up().build();
    }
}
