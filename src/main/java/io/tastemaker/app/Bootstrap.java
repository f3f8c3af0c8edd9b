package io.tastemaker.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.tastemaker.catalog.CatalogStoreHandler;
import io.tastemaker.db.SchemaMigrator;
import io.tastemaker.demo.DemoLoader;
import io.tastemaker.embedded.EmbeddedKafkaBroker;
import io.tastemaker.embedded.EmbeddedPostgresServer;
import io.tastemaker.embedding.ActiveModel;
import io.tastemaker.embedding.EmbeddingConfig;
import io.tastemaker.embedding.EmbeddingPipeline;
import io.tastemaker.engagement.EngagementChanges;
import io.tastemaker.engagement.EngagementConsumer;
import io.tastemaker.attribution.OutcomeConsumer;
import io.tastemaker.models.registry.EvaluationJobs;
import io.tastemaker.models.registry.RegistryFollower;
import io.tastemaker.recommend.neighbours.PrecomputedNeighbours;
import io.tastemaker.runtime.InstanceRole;
import io.tastemaker.runtime.RuntimeConfig;
import io.tastemaker.runtime.RuntimeMode;
import io.tastemaker.runtime.StartupState;
import io.tastemaker.streams.ConsumerLoop;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.RunningConsumers;
import io.tastemaker.streams.StreamsConfig;
import io.tastemaker.streams.Topics;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorMath;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts Tastemaker in order, top to bottom: check the configuration, start the embedded
 * broker and database (embedded mode only), migrate the schema, create the topics, load the
 * model, open the index, start the consumers (catalog store, embedding, engagement), and publish
 * the demo catalog and engagement if asked. Stops in
 * reverse order.
 * Merchandising rules ({@code ActiveRules}) load after this start-up observer and stop before its shutdown.
 */
@ApplicationScoped
public class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);

    private final RuntimeConfig runtime;
    private final StreamsConfig streams;
    private final EmbeddingConfig embedding;
    private final KafkaClients kafka;
    private final Topics topics;
    private final SchemaMigrator schema;
    private final ActiveModel model;
    private final VectorIndex index;
    private final CatalogStoreHandler catalogStore;
    private final EmbeddingPipeline embeddingPipeline;
    private final EngagementConsumer engagement;
    private final OutcomeConsumer outcomes;
    private final DemoLoader demo;
    private final RegistryFollower models;
    private final EvaluationJobs evaluations;
    private final MeterRegistry registry;
    private final StartupState startup;
    private final RunningConsumers running;
    private final PrecomputedNeighbours neighbours;
    private final EngagementChanges engagementChanges;

    private EmbeddedPostgresServer postgres;
    private EmbeddedKafkaBroker broker;
    private final List<ConsumerLoop> consumers = new ArrayList<>();

    Bootstrap(RuntimeConfig runtime, StreamsConfig streams, EmbeddingConfig embedding, KafkaClients kafka, Topics topics,
              SchemaMigrator schema, ActiveModel model, VectorIndex index, CatalogStoreHandler catalogStore,
              EmbeddingPipeline embeddingPipeline, EngagementConsumer engagement, OutcomeConsumer outcomes,
              DemoLoader demo, RegistryFollower models, EvaluationJobs evaluations, MeterRegistry registry, StartupState startup,
              RunningConsumers running, PrecomputedNeighbours neighbours, EngagementChanges engagementChanges) {
        this.runtime = runtime;
        this.engagementChanges = engagementChanges;
        this.neighbours = neighbours;
        this.streams = streams;
        this.embedding = embedding;
        this.kafka = kafka;
        this.topics = topics;
        this.schema = schema;
        this.model = model;
        this.index = index;
        this.catalogStore = catalogStore;
        this.embeddingPipeline = embeddingPipeline;
        this.engagement = engagement;
        this.outcomes = outcomes;
        this.demo = demo;
        this.models = models;
        this.evaluations = evaluations;
        this.registry = registry;
        this.startup = startup;
        this.running = running;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        long began = System.nanoTime();
        List<String> problems = RuntimeMode.problems(runtime);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid Tastemaker configuration:\n  - " + String.join("\n  - ", problems));
        }
        RuntimeMode mode = RuntimeMode.of(runtime);
        LOG.infof("Starting Tastemaker in %s mode", mode);
        if (mode == RuntimeMode.EMBEDDED) {
            var embedded = runtime.embedded();
            postgres = EmbeddedPostgresServer.start(runtime.dataDir().resolve("postgres"), embedded.postgresPort());
            broker = EmbeddedKafkaBroker.start(runtime.dataDir().resolve("kafka"), embedded.kafkaPort(),
                    embedded.kafkaControllerPort());
        }
        schema.migrate();
        kafka.ensureTopics(List.of(
                KafkaClients.topic(topics.catalog(), streams.catalogPartitions(), streams.replicationFactor(),
                        // compaction keeps each product's latest change: a replay rebuilds the catalog
                        Map.of("cleanup.policy", "compact", "min.insync.replicas", "1")),
                KafkaClients.topic(topics.catalogDeadLetters(), 1, streams.replicationFactor(),
                        Map.of("retention.ms", String.valueOf(Duration.ofDays(30).toMillis()))),
                KafkaClients.topic(topics.engagement(), streams.engagementPartitions(), streams.replicationFactor(),
                        // the input log every engagement-derived state is rebuilt from
                        Map.of("retention.ms", String.valueOf(streams.engagementRetentionMs()), "min.insync.replicas", "1")),
                KafkaClients.topic(topics.engagementDeadLetters(), 1, streams.replicationFactor(),
                        Map.of("retention.ms", String.valueOf(Duration.ofDays(30).toMillis())))));
        // fetch metadata now, so sends never block on it
        kafka.producer().partitionsFor(topics.catalog());
        kafka.producer().partitionsFor(topics.engagement());
        model.load();
        // the first call on the index bean opens the configured model's collection, which serves until the registry says otherwise
        LOG.infof("Vector index of %s holds %d products; dot products %s", model.configuredVersion(), index.count(),
                VectorMath.describe());
        models.start();
        boolean serves = InstanceRole.of(runtime).serves();
        if (serves) {
            neighbours.of(model.serving()); // computes the serving version's neighbour lists before the first shopper asks
        }
        // keeps the profiles read here current; a serving process also reads the co-engagement graph into memory
        engagementChanges.start(serves);
        evaluations.start(); // takes up the evaluation jobs a shutdown or a crash interrupted
        running.listedBy(this::consumers);
        if (InstanceRole.of(runtime).ingests()) {
            startConsumers();
        }
        demo.loadInBackground(mode);
        startup.started(true);
        LOG.infof("Tastemaker started in %d ms (role %s)", (System.nanoTime() - began) / 1_000_000, runtime.role());
    }

    private void startConsumers() {
        consumers.add(new ConsumerLoop(topics.catalogStoreGroup(), topics.catalog(),
                kafka.groupMember(topics.catalogStoreGroup(), 0, 500), catalogStore, 500, Duration.ofMillis(50),
                Optional.of(new ConsumerLoop.DeadLetters(topics.catalogDeadLetters(), kafka.producer())), registry)
                .start());
        consumers.add(new ConsumerLoop(topics.embeddingGroup(), topics.catalog(),
                kafka.groupMember(topics.embeddingGroup(), 0, embedding.batchSize()), embeddingPipeline,
                embedding.batchSize(), embedding.maxWait(), Optional.empty(), registry)
                .start());
        engagement.start();
        outcomes.start();
    }

    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        startup.started(false);
        evaluations.stop(); // releases its job: the next instance to start runs it again
        models.stop();
        engagement.stop();
        outcomes.stop();
        consumers.forEach(ConsumerLoop::close);
        consumers.clear();
        kafka.close();
        if (broker != null) {
            broker.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    /** Test hook: stops the embedded broker as an outage would; the clients stay and reconnect when it is back. */
    synchronized void stopEmbeddedBroker() {
        broker.close();
    }

    /** Test hook: starts the embedded broker again on its data directory and ports. */
    synchronized void startEmbeddedBroker() {
        var embedded = runtime.embedded();
        broker = EmbeddedKafkaBroker.start(runtime.dataDir().resolve("kafka"), embedded.kafkaPort(),
                embedded.kafkaControllerPort());
    }

    /** Every consumer loop running now, this class's and the engagement consumer's. */
    private List<ConsumerLoop> consumers() {
        List<ConsumerLoop> all = new ArrayList<>(consumers);
        all.addAll(engagement.loops());
        all.addAll(outcomes.loops());
        return all;
    }
}
