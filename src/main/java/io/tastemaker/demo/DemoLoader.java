package io.tastemaker.demo;

import io.tastemaker.catalog.CatalogPublisher;
import io.tastemaker.catalog.Product;
import io.tastemaker.engagement.EngagementEvent;
import io.tastemaker.engagement.EngagementPublisher;
import io.tastemaker.errors.Unavailable;
import io.tastemaker.resilience.Deadline;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.runtime.RuntimeMode;
import io.tastemaker.streams.KafkaClients;
import io.tastemaker.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Publishes the demo catalog to the catalog topic, as a merchant would, and then the demo
 * shoppers' engagement to the engagement topic, as a storefront would, each the first time the
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
    private final EngagementPublisher engagement;
    private final VectorIndex index;

    DemoLoader(DemoConfig config, KafkaClients kafka, Topics topics, CatalogPublisher publisher,
               EngagementPublisher engagement, VectorIndex index) {
        this.config = config;
        this.kafka = kafka;
        this.topics = topics;
        this.publisher = publisher;
        this.engagement = engagement;
        this.index = index;
    }

    public void loadInBackground(RuntimeMode mode) {
        if (!config.enabled().orElse(mode == RuntimeMode.EMBEDDED)) {
            return;
        }
        Thread loader = new Thread(this::load, "demo-loader");
        loader.setDaemon(true);
        loader.start();
    }

    void load() {
        try {
            List<Product> products = DemoCatalog.generate(config.products(), config.seed());
            publishCatalogIfTopicIsEmpty(products);
            publishEngagementIfTopicIsEmpty(products);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("Demo data could not be published", e);
        }
    }

    private void publishCatalogIfTopicIsEmpty(List<Product> products) throws Exception {
        long records = recordsOn(topics.catalog());
        if (records > 0) {
            LOG.infof("Demo catalog not loaded: the catalog topic already holds %d records", records);
            return;
        }
        long started = System.nanoTime();
        Deadline budget = Deadline.in(Duration.ofMinutes(2));
        for (int from = 0; from < products.size(); from += 500) {
            List<Product> chunk = products.subList(from, Math.min(products.size(), from + 500));
            untilAcknowledged(() -> publisher.upsertAll(chunk), budget);
        }
        LOG.infof("Demo catalog: published %d products over %d categories to %s in %d ms; embedding follows",
                products.size(), DemoCatalog.KINDS.size(), topics.catalog(), (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Publishes the demo shoppers' engagement once the products they engage with are embedded:
     * a profile is made of product vectors, so engagement with a product not yet in the index
     * would not shape the taste.
     */
    private void publishEngagementIfTopicIsEmpty(List<Product> products) throws Exception {
        long records = recordsOn(topics.engagement());
        if (records > 0) {
            LOG.infof("Demo engagement not loaded: the engagement topic already holds %d records", records);
            return;
        }
        List<String> engaged = DemoEngagement.engagedProducts(products).stream().map(Product::id).toList();
        long deadline = System.currentTimeMillis() + Duration.ofMinutes(30).toMillis();
        long nextLog = System.currentTimeMillis() + 30_000;
        int indexed;
        while ((indexed = index.get(engaged).size()) < engaged.size()) {
            if (System.currentTimeMillis() > deadline) {
                LOG.warnf("Demo engagement not loaded: only %d of the %d products it needs were embedded in 30 minutes",
                        indexed, engaged.size());
                return;
            }
            if (System.currentTimeMillis() > nextLog) {
                LOG.infof("Demo engagement waits for its products to be embedded: %d of %d", indexed, engaged.size());
                nextLog = System.currentTimeMillis() + 30_000;
            }
            Thread.sleep(2000);
        }
        List<EngagementEvent> events = DemoEngagement.generate(products, Instant.now(), config.seed());
        Deadline budget = Deadline.in(Duration.ofMinutes(1));
        for (int from = 0; from < events.size(); from += 500) {
            List<EngagementEvent> chunk = events.subList(from, Math.min(events.size(), from + 500));
            untilAcknowledged(() -> engagement.publish(chunk), budget);
        }
        LOG.infof("Demo engagement: published %d events from %d demo shoppers and %d background shoppers. Try %s",
                events.size(), DemoEngagement.PERSONAS.size(), DemoEngagement.BACKGROUND_SHOPPERS,
                DemoEngagement.PERSONAS.stream().map(p -> "/v1/users/" + p.userId() + "/feed (" + p.taste() + ")").toList());
    }

    /**
     * Writes answer "not confirmed" within the REST acknowledgement timeout, which a busy start-up
     * (the model loading, the catalog embedding) can exceed: a background load sends again, which is
     * safe (a product change carries its whole state, an event id counts once), until its budget is spent.
     */
    private static void untilAcknowledged(Supplier<CompletableFuture<?>> write, Deadline budget) throws Exception {
        while (true) {
            try {
                write.get().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof Unavailable) || budget.expired()) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private long recordsOn(String topic) throws Exception {
        return kafka.offsets(topic, OffsetSpec.latest()).values().stream().mapToLong(Long::longValue).sum();
    }
}
