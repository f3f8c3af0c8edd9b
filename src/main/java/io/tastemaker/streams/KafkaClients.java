package io.tastemaker.streams;

import io.tastemaker.runtime.KafkaSecurity;
import io.tastemaker.runtime.RuntimeConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the Kafka clients of this instance: one shared idempotent producer (acks=all, so a
 * completed send means the broker has the record), consumers with manual commits, and an admin
 * client for topics and health. All three reach the brokers with the same TLS and SASL settings
 * ({@link KafkaSecurity}).
 */
@ApplicationScoped
public class KafkaClients {

    private static final Logger LOG = Logger.getLogger(KafkaClients.class);

    private final String bootstrapServers;
    private final StreamsConfig config;
    private final KafkaSecurity security;
    private final String instanceId;
    private final BrokerWrites writes;
    private volatile KafkaProducer<String, String> producer;
    private volatile Admin admin;

    KafkaClients(RuntimeConfig runtime, StreamsConfig config) {
        this.bootstrapServers = runtime.kafka().bootstrapServers()
                .orElse("localhost:" + runtime.embedded().kafkaPort());
        this.config = config;
        this.security = new KafkaSecurity(runtime.kafka());
        this.instanceId = config.instanceId().filter(id -> !id.isBlank()).orElseGet(KafkaClients::hostName);
        this.writes = new BrokerWrites(this::producer, config.ackTimeout(), config.brokerRetryAfter());
    }

    /** The broker's write breaker as {@code tastemaker_dependency_circuit_state{dependency="kafka"}}, beside the others. */
    @Inject
    void registerGauge(MeterRegistry registry) {
        Gauge.builder("tastemaker.dependency.circuit.state", writes, w -> w.state().gaugeValue())
                .description("0 closed, 0.5 half-open, 1 open: whether calls to the dependency are skipped")
                .tag("dependency", "kafka").register(registry);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public KafkaProducer<String, String> producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new StringSerializer());
                }
            }
        }
        return producer;
    }

    /** The shared producer's settings: idempotent, acks=all, bounded by the send timeout. */
    Properties producerConfig() {
        Properties p = common();
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(config.producerLinger().toMillis()));
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(config.sendTimeout().toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(config.sendTimeout().toMillis() / 2));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(config.sendTimeout().toMillis()));
        return p;
    }

    /**
     * Sends one record with the shared producer, off the caller's thread. The future completes once
     * the broker has it (acks=all), or fails with {@link TopicUnavailable} naming the topic within
     * the acknowledgement timeout, so REST callers can pass it on as it is (a 503 with Retry-After).
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, String> record) {
        return writes.sendAll(record.topic(), List.of(record)).thenApply(acked -> acked.get(0));
    }

    /** {@link #send} for records of one topic, answered together: all acknowledged, or a 503. */
    public CompletableFuture<Void> sendAll(String topic, List<ProducerRecord<String, String>> records) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return writes.sendAll(topic, records).thenApply(acked -> null);
    }

    /**
     * How long REST writes are refused from now because the broker failed the last ones; zero
     * while they go through (readiness reports it).
     */
    public java.time.Duration writesRefusedFor() {
        return writes.refusingFor();
    }

    /** Each partition's offset of the given kind (earliest, latest) on {@code topic}. */
    public Map<Integer, Long> offsets(String topic, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        producer().partitionsFor(topic).forEach(p -> request.put(new TopicPartition(p.topic(), p.partition()), spec));
        Map<Integer, Long> offsets = new HashMap<>();
        admin().listOffsets(request).all().get(30, TimeUnit.SECONDS)
                .forEach((partition, info) -> offsets.put(partition.partition(), info.offset()));
        return offsets;
    }

    /** A consumer that commits only what its owner has durably processed. */
    public KafkaConsumer<String, String> consumer(String groupId, int maxPollRecords) {
        return new KafkaConsumer<>(consumerConfig(groupId, maxPollRecords), new StringDeserializer(), new StringDeserializer());
    }

    /**
     * The {@code memberIndex}-th of this process's long-running consumers in {@code groupId}, as a
     * static member ({@code group.instance.id}). Why static membership: after a crash ({@code kill -9},
     * an OOM kill) the dead members' sessions live on in the group coordinator for
     * {@code session.timeout.ms} (45 s), and a dynamic member restarting waits for them to expire
     * before the group settles; a static member restarting under the same id replaces its dead
     * self at once and gets its partitions back without a rebalance. {@link ConsumerLoop} leaves
     * the group explicitly on a clean stop, so scaling in hands partitions over at once too.
     * Committed offsets (and the engagement offsets stored with the state) still decide where
     * consumption resumes, so nothing is skipped or counted twice either way.
     */
    public KafkaConsumer<String, String> groupMember(String groupId, int memberIndex, int maxPollRecords) {
        Properties p = consumerConfig(groupId, maxPollRecords);
        p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, memberId(groupId, memberIndex));
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** {@code <instance id>.<group>.<index>}: stable across restarts of this process, unique among processes. */
    String memberId(String groupId, int memberIndex) {
        return instanceId + "." + groupId + "." + memberIndex;
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot name this process in its consumer groups: set"
                    + " tastemaker.streams.instance-id (env TASTEMAKER_STREAMS_INSTANCE_ID)", e);
        }
    }

    Properties consumerConfig(String groupId, int maxPollRecords) {
        Properties p = common();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxPollRecords));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    /**
     * A consumer outside any group, for reading chosen partitions with assign and seek (an
     * operator's bounded scan); it commits nothing and moves no group's position.
     */
    public KafkaConsumer<String, String> reader(int maxPollRecords) {
        Properties p = common();
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxPollRecords));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    public Admin admin() {
        if (admin == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(adminConfig());
                }
            }
        }
        return admin;
    }

    Properties adminConfig() {
        Properties p = common();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        return p;
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void ensureTopics(List<NewTopic> topics) {
        try {
            Set<String> existing = admin().listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t.name())).toList();
            if (missing.isEmpty()) {
                return;
            }
            admin().createTopics(missing).all().get(30, TimeUnit.SECONDS);
            LOG.infof("Created topics %s", missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topics on " + bootstrapServers, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create topics on " + bootstrapServers, e);
        }
    }

    public static NewTopic topic(String name, int partitions, short replicationFactor, Map<String, String> configs) {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }

    /** What every client shares: the brokers and how to reach them securely. */
    private Properties common() {
        Properties p = new Properties();
        p.putAll(security.clientProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "tastemaker-" + Long.toHexString(System.nanoTime()));
        return p;
    }

    /** Flushes and closes the clients; called before an embedded broker stops. */
    public synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
            producer = null;
        }
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
            admin = null;
        }
    }
}
