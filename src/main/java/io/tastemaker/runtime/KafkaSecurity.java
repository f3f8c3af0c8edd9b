package io.tastemaker.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How this instance's Kafka clients encrypt and authenticate (TLS, SASL) plus any further client
 * properties the operator passes through. The same settings go to the producer, every consumer
 * and the admin client, so no client can reach the brokers by a weaker path than the others.
 * It sits beside {@link RuntimeConfig.Kafka}, the settings it checks, so {@link RuntimeMode#problems}
 * names every configuration problem without this low-level package depending on the Kafka code.
 */
public final class KafkaSecurity {

    private static final String PREFIX = "tastemaker.kafka.";
    private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI");
    private static final List<String> STORE_TYPES = List.of("JKS", "PKCS12", "PEM");

    /** Set by Tastemaker itself: delivery (acks, idempotence, manual commits) depends on them. */
    private static final Set<String> OWN_PROPERTIES = Set.of("bootstrap.servers", "client.id",
            "key.serializer", "value.serializer", "key.deserializer", "value.deserializer",
            "acks", "enable.idempotence", "transactional.id", "group.id", "enable.auto.commit",
            "auto.offset.reset", "isolation.level", "max.poll.records");

    /** Kafka property → the named setting that owns it; one way to set each. */
    private static final Map<String, String> NAMED = Map.of(
            "security.protocol", "security-protocol",
            "sasl.mechanism", "sasl-mechanism",
            "sasl.jaas.config", "sasl-jaas-config",
            "ssl.truststore.location", "ssl-truststore-location",
            "ssl.truststore.password", "ssl-truststore-password",
            "ssl.truststore.type", "ssl-truststore-type",
            "ssl.keystore.location", "ssl-keystore-location",
            "ssl.keystore.password", "ssl-keystore-password",
            "ssl.keystore.type", "ssl-keystore-type",
            "ssl.key.password", "ssl-key-password");

    private final RuntimeConfig.Kafka config;

    public KafkaSecurity(RuntimeConfig.Kafka config) {
        this.config = config;
    }

    /**
     * Every inconsistency in the Kafka security settings, each naming the setting to fix. An
     * empty list means {@link #clientProperties()} describes a client Kafka would accept.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        String protocol = config.securityProtocol();
        if (!PROTOCOLS.contains(protocol)) {
            problems.add(PREFIX + "security-protocol must be one of " + String.join(", ", PROTOCOLS)
                    + ", got '" + protocol + "'");
            return problems;
        }
        if (!protocol.equals("PLAINTEXT") && config.bootstrapServers().isEmpty()) {
            problems.add(PREFIX + "security-protocol=" + protocol + " needs " + PREFIX
                    + "bootstrap-servers: the embedded broker speaks PLAINTEXT only");
        }
        checkSasl(problems, protocol);
        checkTls(problems, protocol);
        config.properties().keySet().stream().sorted().forEach(key -> {
            String setting = PREFIX + "properties.\"" + key + "\"";
            if (OWN_PROPERTIES.contains(key)) {
                problems.add(setting + " cannot be set: Tastemaker sets " + key + " itself");
            } else if (NAMED.containsKey(key)) {
                problems.add(setting + " cannot be set: use " + PREFIX + NAMED.get(key) + " instead");
            }
        });
        return problems;
    }

    private void checkSasl(List<String> problems, String protocol) {
        if (protocol.startsWith("SASL_")) {
            Optional<String> mechanism = config.saslMechanism();
            if (mechanism.isEmpty()) {
                problems.add(PREFIX + "sasl-mechanism is required with security-protocol " + protocol
                        + " (one of " + String.join(", ", MECHANISMS) + ")");
            } else if (!MECHANISMS.contains(mechanism.get())) {
                problems.add(PREFIX + "sasl-mechanism must be one of " + String.join(", ", MECHANISMS)
                        + ", got '" + mechanism.get() + "'");
            }
            if (config.saslJaasConfig().filter(jaas -> !jaas.isBlank()).isEmpty()) {
                problems.add(PREFIX + "sasl-jaas-config is required with security-protocol " + protocol
                        + ": the login module line with this client's credentials");
            }
        } else {
            for (var setting : Map.of("sasl-mechanism", config.saslMechanism(),
                    "sasl-jaas-config", config.saslJaasConfig()).entrySet()) {
                if (setting.getValue().isPresent()) {
                    problems.add(PREFIX + setting.getKey() + " is set but " + PREFIX + "security-protocol is "
                            + protocol + ", which does not use SASL: use SASL_SSL (or SASL_PLAINTEXT)");
                }
            }
        }
    }

    private void checkTls(List<String> problems, String protocol) {
        Map<String, Optional<?>> tls = new LinkedHashMap<>();
        tls.put("ssl-truststore-location", config.sslTruststoreLocation());
        tls.put("ssl-truststore-password", config.sslTruststorePassword());
        tls.put("ssl-truststore-type", config.sslTruststoreType());
        tls.put("ssl-keystore-location", config.sslKeystoreLocation());
        tls.put("ssl-keystore-password", config.sslKeystorePassword());
        tls.put("ssl-keystore-type", config.sslKeystoreType());
        tls.put("ssl-key-password", config.sslKeyPassword());
        if (!protocol.endsWith("SSL")) {
            tls.forEach((name, value) -> {
                if (value.isPresent()) {
                    problems.add(PREFIX + name + " is set but " + PREFIX + "security-protocol is " + protocol
                            + ", which does not use TLS: use SSL or SASL_SSL");
                }
            });
            return;
        }
        checkStore(problems, "truststore", config.sslTruststoreLocation(), config.sslTruststorePassword(),
                config.sslTruststoreType(), false);
        checkStore(problems, "keystore", config.sslKeystoreLocation(), config.sslKeystorePassword(),
                config.sslKeystoreType(), true);
        if (config.sslKeyPassword().isPresent() && config.sslKeystoreLocation().isEmpty()) {
            problems.add(PREFIX + "ssl-key-password is set without " + PREFIX + "ssl-keystore-location");
        }
    }

    private static void checkStore(List<String> problems, String store, Optional<Path> location,
                                   Optional<String> password, Optional<String> type, boolean passwordRequired) {
        String prefix = PREFIX + "ssl-" + store + "-";
        type.filter(t -> !STORE_TYPES.contains(t)).ifPresent(t -> problems.add(
                prefix + "type must be one of " + String.join(", ", STORE_TYPES) + ", got '" + t + "'"));
        if (location.isEmpty()) {
            if (password.isPresent() || type.isPresent()) {
                problems.add(prefix + "location is required when " + prefix
                        + (password.isPresent() ? "password" : "type") + " is set");
            }
            return;
        }
        if (!Files.isReadable(location.get()) || Files.isDirectory(location.get())) {
            problems.add(prefix + "location names no readable file: " + location.get());
        }
        boolean pem = type.map("PEM"::equals).orElse(false);
        if (passwordRequired && !pem && password.isEmpty()) {
            problems.add(prefix + "password is required with " + prefix + "location (a "
                    + type.orElse("JKS") + " keystore is always password-protected)");
        }
    }

    /** The Kafka properties every client of this instance gets, on top of its own. */
    public Map<String, String> clientProperties() {
        Map<String, String> p = new LinkedHashMap<>(config.properties());
        p.put("security.protocol", config.securityProtocol());
        config.saslMechanism().ifPresent(v -> p.put("sasl.mechanism", v));
        config.saslJaasConfig().ifPresent(v -> p.put("sasl.jaas.config", v.strip()));
        config.sslTruststoreLocation().ifPresent(v -> p.put("ssl.truststore.location", v.toString()));
        config.sslTruststorePassword().ifPresent(v -> p.put("ssl.truststore.password", v));
        config.sslTruststoreType().ifPresent(v -> p.put("ssl.truststore.type", v));
        config.sslKeystoreLocation().ifPresent(v -> p.put("ssl.keystore.location", v.toString()));
        config.sslKeystorePassword().ifPresent(v -> p.put("ssl.keystore.password", v));
        config.sslKeystoreType().ifPresent(v -> p.put("ssl.keystore.type", v));
        config.sslKeyPassword().ifPresent(v -> p.put("ssl.key.password", v));
        return p;
    }
}
