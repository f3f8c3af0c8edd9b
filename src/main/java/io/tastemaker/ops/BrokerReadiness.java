package io.tastemaker.ops;

import io.tastemaker.runtime.Bootstrap;
import io.tastemaker.streams.ConsumerLoop;
import io.tastemaker.streams.KafkaClients;
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
    private final Bootstrap bootstrap;

    BrokerReadiness(KafkaClients kafka, Bootstrap bootstrap) {
        this.kafka = kafka;
        this.bootstrap = bootstrap;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("kafka").withData("bootstrapServers", kafka.bootstrapServers());
        if (!bootstrap.started()) {
            return response.down().withData("reason", "starting").build();
        }
        try {
            int nodes = kafka.admin().describeCluster().nodes().get(3, TimeUnit.SECONDS).size();
            response.withData("brokers", nodes);
        } catch (Exception e) {
            return response.down().withData("reason", "broker unreachable: " + e).build();
        }
        long lag = 0;
        for (ConsumerLoop consumer : bootstrap.consumers()) {
            if (!consumer.healthy()) {
                return response.down().withData("reason", "a consumer is failing; see the log").build();
            }
            lag += consumer.lag();
        }
        return response.up().withData("consumerLag", lag).build();
    }
}
