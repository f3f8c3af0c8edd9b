package io.tastemaker.embedded;

import io.tastemaker.vectors.LuceneVectorIndex;
import io.tastemaker.vectors.ProductPayload;
import io.tastemaker.vectors.VectorIndex;
import io.tastemaker.vectors.VectorRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Embedded mode keeps everything under one data directory: after the broker, the database
 * and the index stop and start again on the same directory, their data are all there.
 */
class EmbeddedRuntimeRestartTest {

    private static final int PG_PORT = 35432;
    private static final int KAFKA_PORT = 39092;
    private static final int CONTROLLER_PORT = 39093;

    @TempDir
    Path dataDir;

    @Test
    void should_keep_database_rows_topic_records_and_vectors_across_a_restart() throws Exception {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), PG_PORT);
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), KAFKA_PORT, CONTROLLER_PORT);
             VectorIndex index = LuceneVectorIndex.open(dataDir.resolve("vectors"))) {
            try (Connection db = connect(); Statement sql = db.createStatement()) {
                sql.execute("CREATE TABLE kept (id text PRIMARY KEY)");
                sql.execute("INSERT INTO kept VALUES ('lamp')");
            }
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "lamp", "brass lamp")).get();
            }
            index.upsert(List.of(new VectorRecord("lamp", new float[] {1, 0, 0}, new ProductPayload("Lamp", null,
                    List.of("Home"), List.of(), BigDecimal.TEN, "USD", null, true, "h"))));
        }

        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), PG_PORT);
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), KAFKA_PORT, CONTROLLER_PORT);
             VectorIndex index = LuceneVectorIndex.open(dataDir.resolve("vectors"))) {
            try (Connection db = connect(); Statement sql = db.createStatement();
                 ResultSet rows = sql.executeQuery("SELECT id FROM kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("lamp");
            }
            assertThat(readAll(broker.bootstrapServers(), "kept")).containsExactly("brass lamp");
            assertThat(index.get(List.of("lamp"))).containsOnlyKeys("lamp");
        }
    }

    private static Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + PG_PORT + "/postgres", "postgres", "");
    }

    private static List<String> readAll(String bootstrap, String topic) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
