package io.tastemaker.streams;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.tastemaker.runtime.KafkaSecurity;
import io.tastemaker.runtime.RuntimeConfig;
import io.tastemaker.runtime.RuntimeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** TLS and SASL settings reach every Kafka client, and inconsistent ones are refused by name. */
class KafkaClientsSecurityTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"tastemaker\" password=\"s3cret\";";

    @TempDir
    Path dir;

    @Test
    void should_give_the_producer_consumers_and_admin_client_the_same_tls_and_sasl_settings() throws Exception {
        Path truststore = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        KafkaClients clients = clients(Map.of(
                "tastemaker.kafka.bootstrap-servers", "kafka-0.kafka:9093",
                "tastemaker.kafka.security-protocol", "SASL_SSL",
                "tastemaker.kafka.sasl-mechanism", "SCRAM-SHA-512",
                "tastemaker.kafka.sasl-jaas-config", JAAS + "\n",
                "tastemaker.kafka.ssl-truststore-location", truststore.toString(),
                "tastemaker.kafka.ssl-truststore-type", "PEM",
                "tastemaker.kafka.properties.\"ssl.endpoint.identification.algorithm\"", "https",
                "tastemaker.kafka.properties.\"sasl.login.connect.timeout.ms\"", "15000"));

        for (Properties client : List.of(clients.producerConfig(), clients.consumerConfig("tastemaker-catalog", 500),
                clients.adminConfig())) {
            assertThat(client)
                    .containsEntry("bootstrap.servers", "kafka-0.kafka:9093")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("sasl.jaas.config", JAAS)
                    .containsEntry("ssl.truststore.location", truststore.toString())
                    .containsEntry("ssl.truststore.type", "PEM")
                    .containsEntry("ssl.endpoint.identification.algorithm", "https")
                    .containsEntry("sasl.login.connect.timeout.ms", "15000")
                    .doesNotContainKey("ssl.keystore.location");
        }
        assertThat(clients.producerConfig()).containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
        assertThat(clients.consumerConfig("tastemaker-catalog", 500)).containsEntry("enable.auto.commit", "false")
                .containsEntry("group.id", "tastemaker-catalog");
        assertThat(security(Map.of(
                "tastemaker.kafka.bootstrap-servers", "kafka-0.kafka:9093",
                "tastemaker.kafka.security-protocol", "SASL_SSL",
                "tastemaker.kafka.sasl-mechanism", "SCRAM-SHA-512",
                "tastemaker.kafka.sasl-jaas-config", JAAS,
                "tastemaker.kafka.ssl-truststore-location", truststore.toString(),
                "tastemaker.kafka.ssl-truststore-type", "PEM")).problems()).isEmpty();
    }

    @Test
    void should_give_mutual_tls_settings_to_every_client() throws Exception {
        Path truststore = Files.writeString(dir.resolve("truststore.p12"), "x");
        Path keystore = Files.writeString(dir.resolve("keystore.p12"), "x");
        Map<String, String> settings = Map.of(
                "tastemaker.kafka.bootstrap-servers", "kafka:9093",
                "tastemaker.kafka.security-protocol", "SSL",
                "tastemaker.kafka.ssl-truststore-location", truststore.toString(),
                "tastemaker.kafka.ssl-truststore-password", "trust",
                "tastemaker.kafka.ssl-truststore-type", "PKCS12",
                "tastemaker.kafka.ssl-keystore-location", keystore.toString(),
                "tastemaker.kafka.ssl-keystore-password", "keys",
                "tastemaker.kafka.ssl-keystore-type", "PKCS12");
        KafkaClients clients = clients(settings);

        assertThat(security(settings).problems()).isEmpty();
        for (Properties client : List.of(clients.producerConfig(), clients.consumerConfig("g", 10), clients.adminConfig())) {
            assertThat(client)
                    .containsEntry("security.protocol", "SSL")
                    .containsEntry("ssl.truststore.password", "trust")
                    .containsEntry("ssl.keystore.location", keystore.toString())
                    .containsEntry("ssl.keystore.password", "keys")
                    .containsEntry("ssl.keystore.type", "PKCS12")
                    .doesNotContainKeys("sasl.mechanism", "sasl.jaas.config");
        }
    }

    @Test
    void should_default_to_plaintext_without_sasl_or_tls() {
        KafkaClients clients = clients(Map.of("tastemaker.kafka.bootstrap-servers", "kafka:9092"));

        assertThat(clients.adminConfig()).containsEntry("security.protocol", "PLAINTEXT")
                .doesNotContainKeys("sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location");
        assertThat(security(Map.of()).problems()).isEmpty();
    }

    @Test
    void should_refuse_sasl_without_a_mechanism_or_login_naming_the_settings() {
        assertThat(security(Map.of(
                "tastemaker.kafka.bootstrap-servers", "kafka:9093",
                "tastemaker.kafka.security-protocol", "SASL_SSL")).problems())
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith("tastemaker.kafka.sasl-mechanism is required with security-protocol SASL_SSL"))
                .anySatisfy(p -> assertThat(p).startsWith("tastemaker.kafka.sasl-jaas-config is required"));
        assertThat(security(Map.of(
                "tastemaker.kafka.bootstrap-servers", "kafka:9093",
                "tastemaker.kafka.security-protocol", "SASL_PLAINTEXT",
                "tastemaker.kafka.sasl-mechanism", "SCRAM-SHA-1",
                "tastemaker.kafka.sasl-jaas-config", JAAS)).problems())
                .singleElement().asString().startsWith("tastemaker.kafka.sasl-mechanism must be one of PLAIN, SCRAM-SHA-256");
    }

    @Test
    void should_refuse_sasl_or_tls_settings_the_protocol_would_ignore() {
        assertThat(security(Map.of(
                "tastemaker.kafka.bootstrap-servers", "kafka:9092",
                "tastemaker.kafka.sasl-mechanism", "PLAIN",
                "tastemaker.kafka.ssl-truststore-location", "/etc/kafka/ca.pem")).problems())
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith(
                        "tastemaker.kafka.sasl-mechanism is set but tastemaker.kafka.security-protocol is PLAINTEXT"))
                .anySatisfy(p -> assertThat(p).startsWith(
                        "tastemaker.kafka.ssl-truststore-location is set but tastemaker.kafka.security-protocol is PLAINTEXT"));
        assertThat(security(Map.of(
                "tastemaker.kafka.bootstrap-servers", "kafka:9092",
                "tastemaker.kafka.security-protocol", "SASL_PLAINTEXT",
                "tastemaker.kafka.sasl-mechanism", "PLAIN",
                "tastemaker.kafka.sasl-jaas-config", JAAS,
                "tastemaker.kafka.ssl-keystore-password", "keys")).problems())
                .singleElement().asString().contains("ssl-keystore-password is set but").contains("use SSL or SASL_SSL");
    }

    @Test
    void should_refuse_a_keystore_without_its_password_and_stores_that_are_not_there() throws Exception {
        Path keystore = Files.writeString(dir.resolve("keystore.jks"), "x");
        assertThat(security(Map.of(
                "tastemaker.kafka.bootstrap-servers", "kafka:9093",
                "tastemaker.kafka.security-protocol", "SSL",
                "tastemaker.kafka.ssl-keystore-location", keystore.toString(),
                "tastemaker.kafka.ssl-truststore-location", dir.resolve("missing.jks").toString(),
                "tastemaker.kafka.ssl-truststore-type", "P12")).problems())
                .hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("tastemaker.kafka.ssl-keystore-password is required"))
                .anySatisfy(p -> assertThat(p).startsWith("tastemaker.kafka.ssl-truststore-location names no readable file"))
                .anySatisfy(p -> assertThat(p).startsWith("tastemaker.kafka.ssl-truststore-type must be one of JKS, PKCS12, PEM"));
    }

    @Test
    void should_refuse_pass_through_properties_that_tastemaker_sets_or_that_have_a_named_setting() {
        assertThat(security(Map.of(
                "tastemaker.kafka.bootstrap-servers", "kafka:9092",
                "tastemaker.kafka.properties.\"enable.auto.commit\"", "true",
                "tastemaker.kafka.properties.\"sasl.jaas.config\"", JAAS)).problems())
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith("tastemaker.kafka.properties.\"enable.auto.commit\" cannot be set"))
                .anySatisfy(p -> assertThat(p).isEqualTo("tastemaker.kafka.properties.\"sasl.jaas.config\" cannot be set:"
                        + " use tastemaker.kafka.sasl-jaas-config instead"));
    }

    @Test
    void should_refuse_to_start_on_an_unknown_protocol_or_tls_against_the_embedded_broker() {
        assertThat(RuntimeMode.problems(runtime(Map.of(
                "tastemaker.kafka.bootstrap-servers", "kafka:9092",
                "tastemaker.database.url", "postgresql://db:5432/shop",
                "tastemaker.kafka.security-protocol", "TLS"))))
                .singleElement().asString()
                .isEqualTo("tastemaker.kafka.security-protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, got 'TLS'");
        assertThat(RuntimeMode.problems(runtime(Map.of("tastemaker.kafka.security-protocol", "SSL"))))
                .singleElement().asString()
                .startsWith("tastemaker.kafka.security-protocol=SSL needs tastemaker.kafka.bootstrap-servers");
    }

    private static KafkaSecurity security(Map<String, String> settings) {
        return new KafkaSecurity(runtime(settings).kafka());
    }

    private static KafkaClients clients(Map<String, String> settings) {
        SmallRyeConfig config = config(settings);
        return new KafkaClients(config.getConfigMapping(RuntimeConfig.class), config.getConfigMapping(StreamsConfig.class));
    }

    private static RuntimeConfig runtime(Map<String, String> settings) {
        return config(settings).getConfigMapping(RuntimeConfig.class);
    }

    /** The real mappings, with Quarkus's duration syntax, over the given properties only (no environment). */
    private static SmallRyeConfig config(Map<String, String> settings) {
        return new SmallRyeConfigBuilder()
                .withMapping(RuntimeConfig.class)
                .withMapping(StreamsConfig.class)
                .withValidateUnknown(false)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(new HashMap<>(settings), "test", 500))
                .build();
    }
}
