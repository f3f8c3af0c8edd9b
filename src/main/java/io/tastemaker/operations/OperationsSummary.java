package io.tastemaker.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.smallrye.health.SmallRyeHealthReporter;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What an operator watches, in one answer: consumer lag per group and topic (from the brokers, so
 * every instance's consumers count), events and records per second and each endpoint's p50/p99
 * over the last minute (from {@link Throughput} and the HTTP timers' percentiles), the LLM
 * reranker's calls, cache and cost, the circuit breakers, readiness per dependency and served-list
 * recording drops. Blocking (the admin client and the readiness checks): call from worker threads.
 * A figure that cannot be had (the broker down) is null with a note; the rest still answers.
 */
@ApplicationScoped
public class OperationsSummary {

    private static final Logger LOG = Logger.getLogger(OperationsSummary.class);
    private static final long ADMIN_TIMEOUT_SECONDS = 5;

    private final MeterRegistry registry;
    private final Throughput throughput;
    private final KafkaClients kafka;
    private final Topics topics;
    private final SmallRyeHealthReporter health;
    private final ObjectMapper json;

    OperationsSummary(MeterRegistry registry, Throughput throughput, KafkaClients kafka, Topics topics,
                      SmallRyeHealthReporter health, ObjectMapper json) {
        this.registry = registry;
        this.throughput = throughput;
        this.kafka = kafka;
        this.topics = topics;
        this.health = health;
        this.json = json;
    }

    public record Summary(Instant at, double windowSeconds, Events events, List<ConsumerGroup> consumers,
                          String consumersUnavailable, List<Endpoint> endpoints, Llm llm, List<Breaker> breakers,
                          Health health, ServedLists servedLists) {
    }

    /** Events/s accepted by {@code POST /v1/events} (acknowledged by the broker) and applied by the engagement consumers. */
    public record Events(Double acceptedPerSecond, Double appliedPerSecond) {
    }

    /** One consumer group on one topic: records not processed yet, and records processed per second by this instance. */
    public record ConsumerGroup(String group, String topic, Long lag, int partitions, Double recordsPerSecond) {
    }

    /** One endpoint (method and URI template): requests in the window, and its successful answers' p50/p99. */
    public record Endpoint(String method, String uri, long requests, long errors, Double p50Ms, Double p99Ms) {
    }

    /** The LLM reranker as it counts itself; {@code enabled} false when it is not configured (no meters). */
    public record Llm(boolean enabled, long calls, long failures, long callsInWindow, long failuresInWindow,
                      Double cacheHitRate, Double cost, Double costPerThousandLists) {
    }

    /** A circuit breaker: closed (calls go through), half-open (one trial call), open (calls skipped). */
    public record Breaker(String dependency, String state) {
    }

    public record Health(String status, List<Check> checks) {
    }

    public record Check(String name, String status, JsonNode data) {
    }

    public record ServedLists(long recorded, long dropped, Map<String, Long> droppedByReason, long queued) {
    }

    public Summary summary() {
        throughput.sample();
        RateWindow window = throughput.window();
        List<ConsumerGroup> consumers = List.of();
        String unavailable = null;
        try {
            consumers = consumers(window);
        } catch (Exception e) {
            LOG.debugf(e, "consumer lag unavailable");
            unavailable = "The brokers did not answer: " + e.getMessage();
        }
        return new Summary(Instant.now(), window.seconds(),
                new Events(window.perSecond("events.accepted"), window.perSecond("events.applied")),
                consumers, unavailable, endpoints(window), llm(window), breakers(), health(), servedLists());
    }

    private List<ConsumerGroup> consumers(RateWindow window) throws Exception {
        List<String> groups = List.of(topics.catalogStoreGroup(), topics.embeddingGroup(), topics.engagementGroup(),
                topics.outcomesGroup());
        Map<String, ListConsumerGroupOffsetsSpec> request = new LinkedHashMap<>();
        groups.forEach(g -> request.put(g, new ListConsumerGroupOffsetsSpec()));
        var committed = kafka.admin().listConsumerGroupOffsets(request);
        Map<String, String> topicOf = Map.of(topics.catalogStoreGroup(), topics.catalog(), topics.embeddingGroup(),
                topics.catalog(), topics.engagementGroup(), topics.engagement(), topics.outcomesGroup(), topics.engagement());
        Map<String, Map<Integer, Long>> ends = new HashMap<>();
        for (String topic : List.of(topics.catalog(), topics.engagement())) {
            ends.put(topic, ends(topic));
        }
        List<ConsumerGroup> result = new ArrayList<>();
        for (String group : groups) {
            Map<TopicPartition, OffsetAndMetadata> offsets = committed.partitionsToOffsetAndMetadata(group)
                    .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String topic = topicOf.get(group);
            Map<Integer, Long> end = ends.get(topic);
            Long lag = null;
            if (offsets != null && offsets.values().stream().anyMatch(o -> o != null)) {
                long sum = 0;
                for (var partition : end.entrySet()) {
                    OffsetAndMetadata at = offsets.get(new TopicPartition(topic, partition.getKey()));
                    // a partition the group never committed: everything on it is still to do
                    sum += Math.max(0, partition.getValue() - (at == null ? 0 : at.offset()));
                }
                lag = sum;
            }
            result.add(new ConsumerGroup(group, topic, lag, end.size(), window.perSecond("consumer:" + group)));
        }
        return result;
    }

    private Map<Integer, Long> ends(String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        var description = kafka.admin().describeTopics(List.of(topic)).allTopicNames()
                .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
        description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<Integer, Long> ends = new TreeMap<>();
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answered = kafka.admin().listOffsets(request).all()
                .get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        answered.forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
        return ends;
    }

    /**
     * Per method and URI template under /v1: requests and errors (5xx) in the window; p50/p99 of
     * its successful answers, from the busiest successful status's timer (percentiles of timers
     * cannot be merged).
     */
    private List<Endpoint> endpoints(RateWindow window) {
        Map<String, List<Timer>> byEndpoint = new TreeMap<>();
        for (Meter meter : registry.find("http.server.requests").meters()) {
            String uri = meter.getId().getTag("uri");
            if (meter instanceof Timer timer && uri != null && uri.startsWith("/v1/")) {
                byEndpoint.computeIfAbsent(meter.getId().getTag("method") + " " + uri, k -> new ArrayList<>()).add(timer);
            }
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (var entry : byEndpoint.entrySet()) {
            long requests = Math.round(window.growth("http:" + entry.getKey()));
            long errors = Math.round(window.growth("http5xx:" + entry.getKey()));
            Timer busiest = null;
            for (Timer timer : entry.getValue()) {
                String status = String.valueOf(timer.getId().getTag("status"));
                if (status.startsWith("2") && (busiest == null || timer.count() > busiest.count())) {
                    busiest = timer;
                }
            }
            Double p50 = null;
            Double p99 = null;
            if (busiest != null) {
                for (ValueAtPercentile value : busiest.takeSnapshot().percentileValues()) {
                    double ms = value.value(TimeUnit.MILLISECONDS);
                    if (Double.isNaN(ms)) {
                        continue;
                    }
                    if (value.percentile() == 0.5) {
                        p50 = round(ms);
                    } else if (value.percentile() == 0.99) {
                        p99 = round(ms);
                    }
                }
            }
            int space = entry.getKey().indexOf(' ');
            endpoints.add(new Endpoint(entry.getKey().substring(0, space), entry.getKey().substring(space + 1), requests,
                    errors, p50, p99));
        }
        endpoints.sort(Comparator.comparingLong(Endpoint::requests).reversed().thenComparing(Endpoint::uri));
        return endpoints;
    }

    private Llm llm(RateWindow window) {
        long calls = 0;
        long failures = 0;
        boolean enabled = false;
        for (Meter meter : registry.find("tastemaker.rerank.calls").meters()) {
            enabled = true;
            long count = ((Timer) meter).count();
            calls += count;
            if ("failure".equals(meter.getId().getTag("result"))) {
                failures += count;
            }
        }
        double hits = 0;
        double gets = 0;
        for (Meter meter : registry.find("cache.gets").tag("cache", "rerank").meters()) {
            enabled = true;
            double count = meter instanceof FunctionCounter c ? c.count() : 0;
            gets += count;
            if ("hit".equals(meter.getId().getTag("result"))) {
                hits += count;
            }
        }
        Gauge cost = registry.find("tastemaker.rerank.cost").gauge();
        Gauge perThousand = registry.find("tastemaker.rerank.cost.per.thousand.lists").gauge();
        enabled = enabled || cost != null;
        long windowCalls = Math.round(window.growth("rerank:success") + window.growth("rerank:failure"));
        return new Llm(enabled, calls, failures, windowCalls, Math.round(window.growth("rerank:failure")),
                gets == 0 ? null : round(hits / gets), cost == null ? null : cost.value(),
                perThousand == null ? null : perThousand.value());
    }

    private List<Breaker> breakers() {
        List<Breaker> breakers = new ArrayList<>();
        for (Gauge gauge : registry.find("tastemaker.dependency.circuit.state").gauges()) {
            double value = gauge.value();
            breakers.add(new Breaker(gauge.getId().getTag("dependency"),
                    value >= 1 ? "open" : value > 0 ? "half-open" : "closed"));
        }
        Gauge rerank = registry.find("tastemaker.rerank.circuit.open").gauge();
        if (rerank != null) {
            breakers.add(new Breaker("llm", rerank.value() >= 1 ? "open" : "closed"));
        }
        breakers.sort(Comparator.comparing(Breaker::dependency));
        return breakers;
    }

    private Health health() {
        try {
            JsonNode payload = json.readTree(health.getReadiness().getPayload().toString());
            List<Check> checks = new ArrayList<>();
            for (JsonNode check : payload.path("checks")) {
                checks.add(new Check(check.path("name").asText(), check.path("status").asText(),
                        check.has("data") ? check.get("data") : null));
            }
            checks.sort(Comparator.comparing(Check::name));
            return new Health(payload.path("status").asText(), checks);
        } catch (Exception e) {
            LOG.debugf(e, "readiness unavailable");
            return new Health("UNKNOWN", List.of());
        }
    }

    private ServedLists servedLists() {
        long recorded = 0;
        Map<String, Long> dropped = new TreeMap<>();
        for (Meter meter : registry.find("tastemaker.served.lists.recorded").meters()) {
            recorded += Math.round(((io.micrometer.core.instrument.Counter) meter).count());
        }
        for (Meter meter : registry.find("tastemaker.served.lists.dropped").meters()) {
            dropped.merge(String.valueOf(meter.getId().getTag("reason")),
                    Math.round(((io.micrometer.core.instrument.Counter) meter).count()), Long::sum);
        }
        Gauge queued = registry.find("tastemaker.served.lists.queued").gauge();
        return new ServedLists(recorded, dropped.values().stream().mapToLong(Long::longValue).sum(), dropped,
                queued == null ? 0 : Math.round(queued.value()));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
