package io.tastemaker.streams;

import jakarta.enterprise.context.ApplicationScoped;

/** The one place that knows topic and consumer-group names. */
@ApplicationScoped
public class Topics {

    private final StreamsConfig config;

    Topics(StreamsConfig config) {
        this.config = config;
    }

    public String catalog() {
        return config.catalogTopic();
    }

    public String catalogDeadLetters() {
        return config.catalogDeadLetterTopic();
    }

    public String engagement() {
        return config.engagementTopic();
    }

    public String engagementDeadLetters() {
        return config.engagementDeadLetterTopic();
    }

    /** Turns engagement into profiles, co-engagement and trending. */
    public String engagementGroup() {
        return config.groupPrefix() + ".engagement";
    }

    /** Credits the events that carry a recommId to the lists they came from (outcomes.OutcomeConsumer). */
    public String outcomesGroup() {
        return config.groupPrefix() + ".outcomes";
    }

    /** Writes products to PostgreSQL. */
    public String catalogStoreGroup() {
        return config.groupPrefix() + ".catalog-store";
    }

    /** Embeds products into the vector index. */
    public String embeddingGroup() {
        return config.groupPrefix() + ".embedding";
    }
}
