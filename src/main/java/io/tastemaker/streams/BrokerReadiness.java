package io.tastemaker.streams;

import io.tastemaker.runtime.StartupState;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.TimeUnit;

/** Ready when the broker answers and every consumer is processing. */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {

    private final KafkaClients kafka;
    private final StartupState startup;
    private final RunningConsumers consumers;

    BrokerReadiness(KafkaClients kafka, StartupState startup, RunningConsumers consumers) {
        this.kafka = kafka;
        this.startup = startup;
        this.consumers = consumers;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka").withData("bootstrapServers", kafka.bootstrapServers());
        if (!startup.started()) {
            return response.down().withData("reason", "starting").build();
        }
        try {
            int nodes = kafka.admin().describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            response.withData("brokers", nodes);
        } catch (Exception e) {
            return response.down().withData("reason", "broker unreachable: " + e).build();
        }
        long lag = 0;
        for (ConsumerLoop consumer : consumers.all()) {
            if (!consumer.healthy()) {
                return response.down().withData("reason", "a consumer is failing; see the log").build();
            }
            lag += consumer.lag();
        }
        return response.up().withData("consumerLag", lag).build();
    }
}
