package io.tastemaker.demo;

import io.tastemaker.catalog.CatalogPublisher;
import io.tastemaker.catalog.Product;
import io.tastemaker.runtime.RuntimeMode;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Publishes the demo catalog to the catalog topic, as a merchant would, the first time the
 * service starts on an empty topic. Runs in the background: the service is ready meanwhile and
 * products become searchable as the embedding pipeline gets to them.
 */
@ApplicationScoped
public class DemoLoader {

    private static final Logger LOG = Logger.getLogger(DemoLoader.class);

    private final DemoConfig config;
    private final KafkaClients kafka;
    private final Topics topics;
    private final CatalogPublisher publisher;

    DemoLoader(DemoConfig config, KafkaClients kafka, Topics topics, CatalogPublisher publisher) {
        this.config = config;
        this.kafka = kafka;
        this.topics = topics;
        this.publisher = publisher;
    }

    public void loadInBackground(RuntimeMode mode) {
        if (!config.enabled().orElse(mode == RuntimeMode.EMBEDDED)) {
            return;
        }
        Thread loader = new Thread(this::loadIfCatalogTopicIsEmpty, "demo-loader");
        loader.setDaemon(true);
        loader.start();
    }

    void loadIfCatalogTopicIsEmpty() {
        try {
            long records = recordsOnCatalogTopic();
            if (records > 0) {
                LOG.infof("Demo catalog not loaded: the catalog topic already holds %d records", records);
                return;
            }
            long started = System.nanoTime();
            List<Product> products = DemoCatalog.generate(config.products(), config.seed());
            List<CompletableFuture<?>> acks = new ArrayList<>(products.size());
            for (Product product : products) {
                acks.add(publisher.upsert(product));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            LOG.infof("Demo catalog: published %d products over %d categories to %s in %d ms; embedding follows",
                    products.size(), DemoCatalog.KINDS.size(), topics.catalog(), (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            LOG.error("Demo catalog could not be published", e);
        }
    }

    private long recordsOnCatalogTopic() throws Exception {
        List<TopicPartition> partitions = kafka.producer().partitionsFor(topics.catalog()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(Function.identity(), p -> OffsetSpec.latest()));
        return kafka.admin().listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }
}
