package io.tastemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Helm chart lints strictly and renders what an operator expects, without a cluster: the
 * API/ingest split, secrets as files, hardened pods, the network policy and the management port.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("helm/tastemaker");
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    @Test
    void the_chart_passes_strict_lint() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void default_values_render_an_api_and_an_ingestion_deployment_with_probes() throws Exception {
        Map<String, JsonNode> manifests = render(new Helm(CHART).template().withName("shop").call());

        JsonNode api = manifests.get("Deployment/shop-tastemaker-api");
        JsonNode ingest = manifests.get("Deployment/shop-tastemaker-ingest");
        assertThat(role(api)).isEqualTo("api");
        assertThat(role(ingest)).isEqualTo("ingest");
        JsonNode container = api.at("/spec/template/spec/containers/0");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("1536Mi");
        assertThat(container.at("/envFrom/0/configMapRef/name").asText()).isEqualTo("shop-tastemaker");
        assertThat(api.at("/spec/replicas").isMissingNode()).as("the HPA owns the api replicas").isTrue();
        assertThat(ingest.at("/spec/replicas").asInt()).isEqualTo(1);

        assertThat(manifests.get("Service/shop-tastemaker").at("/spec/selector/app.kubernetes.io~1component").asText())
                .isEqualTo("api");
        assertThat(manifests.get("HorizontalPodAutoscaler/shop-tastemaker-api").at("/spec/minReplicas").asInt()).isEqualTo(2);
        assertThat(manifests).containsKeys("PodDisruptionBudget/shop-tastemaker-api",
                "PodDisruptionBudget/shop-tastemaker-ingest", "Secret/shop-tastemaker", "ConfigMap/shop-tastemaker");
        assertThat(manifests).doesNotContainKeys("ServiceMonitor/shop-tastemaker",
                "HorizontalPodAutoscaler/shop-tastemaker-ingest");
        JsonNode config = manifests.get("ConfigMap/shop-tastemaker").get("data");
        assertThat(config.get("KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
        assertThat(config.get("TASTEMAKER_VECTORS_BACKEND").asText()).isEqualTo("qdrant");
        assertThat(config.has("TASTEMAKER_RERANK_ENABLED")).isFalse();
    }

    @Test
    void production_values_wire_endpoints_secrets_scaling_and_monitoring() throws Exception {
        Map<String, JsonNode> manifests = render(new Helm(CHART).template().withName("shop")
                .withValuesFile(Path.of("src/test/resources/helm/production-values.yaml")).call());

        JsonNode config = manifests.get("ConfigMap/shop-tastemaker").get("data");
        assertThat(config.get("KAFKA_BOOTSTRAP_SERVERS").asText()).startsWith("kafka-0.kafka:9092,");
        assertThat(config.get("TASTEMAKER_STREAMS_CATALOG_PARTITIONS").asText()).isEqualTo("12");
        assertThat(config.get("TASTEMAKER_STREAMS_ENGAGEMENT_PARTITIONS").asText()).isEqualTo("24");
        assertThat(config.get("TASTEMAKER_ENGAGEMENT_CONSUMER_THREADS").asText()).isEqualTo("2");
        assertThat(config.get("TASTEMAKER_VECTORS_QDRANT_TLS").asText()).isEqualTo("true");
        assertThat(config.get("TASTEMAKER_RERANK_ENABLED").asText()).isEqualTo("true");
        assertThat(config.get("TASTEMAKER_RERANK_BASE_URL").asText()).isEqualTo("http://vllm.llm:8000/v1");
        assertThat(config.get("TASTEMAKER_RERANK_BUDGET").asText()).isEqualTo("1500ms");
        assertThat(config.get("TASTEMAKER_EMBEDDING_BATCH_SIZE").asText()).isEqualTo("128");

        assertThat(manifests).doesNotContainKey("Secret/shop-tastemaker");
        JsonNode api = manifests.get("Deployment/shop-tastemaker-api");
        assertThat(volume(api, "secrets").at("/secret/secretName").asText()).isEqualTo("shop-tastemaker-credentials");
        assertThat(api.at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("registry.example.com/shop/tastemaker:0.1.0");
        assertThat(manifests.get("Deployment/shop-tastemaker-ingest").at("/spec/replicas").asInt()).isEqualTo(4);
        assertThat(manifests.get("HorizontalPodAutoscaler/shop-tastemaker-api").at("/spec/maxReplicas").asInt()).isEqualTo(20);
        JsonNode monitor = manifests.get("ServiceMonitor/shop-tastemaker");
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("management");
        JsonNode metrics = manifests.get("Service/shop-tastemaker-metrics");
        assertThat(metrics.at("/spec/clusterIP").asText()).isEqualTo("None");
        assertThat(metrics.at("/spec/ports/0/port").asInt()).isEqualTo(9000);
        assertThat(metrics.at("/spec/ports/0/targetPort").asText()).isEqualTo("management");
    }

    @Test
    void every_pod_runs_hardened_with_a_read_only_root_and_no_service_account_token() throws Exception {
        Map<String, JsonNode> manifests = render(new Helm(CHART).template().withName("shop").call());

        for (String role : List.of("api", "ingest")) {
            JsonNode pod = manifests.get("Deployment/shop-tastemaker-" + role).at("/spec/template/spec");
            JsonNode container = pod.at("/containers/0");
            assertThat(pod.get("automountServiceAccountToken").asBoolean(true)).as(role).isFalse();
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(role).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt()).as(role).isEqualTo(185);
            JsonNode security = container.get("securityContext");
            assertThat(security.get("readOnlyRootFilesystem").asBoolean()).as(role).isTrue();
            assertThat(security.get("runAsNonRoot").asBoolean()).as(role).isTrue();
            assertThat(security.get("allowPrivilegeEscalation").asBoolean(true)).as(role).isFalse();
            assertThat(security.at("/capabilities/drop").toString()).as(role).isEqualTo("[\"ALL\"]");
            // the ONNX runtime and tokenizer unpack natives to /tmp; fine-tuned adapters go to the data dir
            assertThat(mountPath(container, "tmp")).as(role).isEqualTo("/tmp");
            assertThat(volume(manifests.get("Deployment/shop-tastemaker-" + role), "tmp").has("emptyDir")).as(role).isTrue();
            assertThat(mountPath(container, "data")).as(role).isEqualTo("/var/lib/tastemaker");
        }
        assertThat(manifests.get("ConfigMap/shop-tastemaker").at("/data/TASTEMAKER_DATA_DIR").asText())
                .isEqualTo("/var/lib/tastemaker");
    }

    @Test
    void probes_and_metrics_use_the_management_port_not_the_api_port() throws Exception {
        Map<String, JsonNode> manifests = render(new Helm(CHART).template().withName("shop").call());

        for (String role : List.of("api", "ingest")) {
            JsonNode template = manifests.get("Deployment/shop-tastemaker-" + role).at("/spec/template");
            JsonNode container = template.at("/spec/containers/0");
            assertThat(port(container, "management")).as(role).isEqualTo(9000);
            assertThat(port(container, "http")).as(role).isEqualTo(8080);
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(role + " " + probe).isEqualTo("management");
            }
            assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
            assertThat(template.at("/metadata/annotations/prometheus.io~1scrape").asText()).isEqualTo("true");
            assertThat(template.at("/metadata/annotations/prometheus.io~1port").asText()).isEqualTo("9000");
            assertThat(template.at("/metadata/annotations/prometheus.io~1path").asText()).isEqualTo("/q/metrics");
        }
        JsonNode service = manifests.get("Service/shop-tastemaker");
        assertThat(service.at("/spec/ports")).hasSize(1);
        assertThat(service.at("/spec/ports/0/targetPort").asText()).as("the public Service only reaches the API port")
                .isEqualTo("http");
    }

    @Test
    void secrets_reach_the_pods_as_files_never_as_environment_variables() throws Exception {
        Map<String, JsonNode> manifests = render(new Helm(CHART).template().withName("shop")
                .set("postgresql.password", "pg-s3cret").set("qdrant.apiKey", "qdrant-key")
                .set("kafka.sasl.jaasConfig", "ScramLoginModule required;")
                .set("bootstrapOperatorKey.value", "tm_live_first").call());

        JsonNode secret = manifests.get("Secret/shop-tastemaker").get("stringData");
        assertThat(secret.get("TASTEMAKER_DATABASE_PASSWORD").asText()).isEqualTo("pg-s3cret");
        assertThat(secret.get("TASTEMAKER_VECTORS_QDRANT_API_KEY").asText()).isEqualTo("qdrant-key");
        assertThat(secret.get("TASTEMAKER_KAFKA_SASL_JAAS_CONFIG").asText()).isEqualTo("ScramLoginModule required;");
        assertThat(secret.has("TASTEMAKER_RERANK_API_KEY")).as("only the secrets given").isFalse();
        assertThat(manifests.get("Secret/shop-tastemaker-bootstrap").at("/stringData/operator-key").asText())
                .isEqualTo("tm_live_first");
        JsonNode config = manifests.get("ConfigMap/shop-tastemaker").get("data");
        assertThat(config.get("TASTEMAKER_SECRETS_DIR").asText()).isEqualTo("/etc/tastemaker/secrets");
        assertThat(config.toString()).doesNotContain("pg-s3cret", "qdrant-key", "ScramLoginModule", "tm_live_first");

        for (String role : List.of("api", "ingest")) {
            JsonNode deployment = manifests.get("Deployment/shop-tastemaker-" + role);
            JsonNode container = deployment.at("/spec/template/spec/containers/0");
            assertThat(container.toString()).as(role).doesNotContain("secretRef", "secretKeyRef");
            assertThat(mountPath(container, "secrets")).as(role).isEqualTo("/etc/tastemaker/secrets");
            assertThat(mount(container, "secrets").get("readOnly").asBoolean()).as(role).isTrue();
            assertThat(volume(deployment, "secrets").at("/secret/secretName").asText()).as(role).isEqualTo("shop-tastemaker");
        }
        JsonNode api = manifests.get("Deployment/shop-tastemaker-api");
        assertThat(env(api, "TASTEMAKER_BOOTSTRAP_OPERATOR_KEY_FILE")).isEqualTo("/etc/tastemaker/bootstrap/operator-key");
        assertThat(mountPath(api.at("/spec/template/spec/containers/0"), "bootstrap")).isEqualTo("/etc/tastemaker/bootstrap");
        assertThat(volume(api, "bootstrap").at("/secret/items/0/path").asText()).isEqualTo("operator-key");
        JsonNode ingest = manifests.get("Deployment/shop-tastemaker-ingest");
        assertThat(env(ingest, "TASTEMAKER_BOOTSTRAP_OPERATOR_KEY_FILE")).as("ingest workers need no operator key").isNull();
        assertThat(volume(ingest, "bootstrap")).isNull();
    }

    @Test
    void network_policy_opens_the_api_port_to_callers_and_the_management_port_to_monitoring_only() throws Exception {
        Map<String, JsonNode> manifests = render(new Helm(CHART).template().withName("shop").call());

        JsonNode api = manifests.get("NetworkPolicy/shop-tastemaker-api").get("spec");
        assertThat(api.at("/podSelector/matchLabels/app.kubernetes.io~1component").asText()).isEqualTo("api");
        assertThat(api.at("/policyTypes").toString()).isEqualTo("[\"Ingress\",\"Egress\"]");
        assertThat(api.at("/ingress/0/ports/0/port").asText()).isEqualTo("http");
        assertThat(api.at("/ingress/0/from").isMissingNode()).as("the API is open to any caller by default").isTrue();
        assertThat(api.at("/ingress/1/ports/0/port").asText()).isEqualTo("management");
        assertThat(api.at("/ingress/1/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("monitoring");
        JsonNode ingest = manifests.get("NetworkPolicy/shop-tastemaker-ingest").get("spec");
        assertThat(ingest.get("ingress")).as("ingest pods serve no API").hasSize(1);
        assertThat(ingest.at("/ingress/0/ports/0/port").asText()).isEqualTo("management");

        assertThat(egressPorts(api)).containsExactly("53/UDP", "53/TCP", "5432/TCP", "9092/TCP", "9093/TCP", "6334/TCP");
        assertThat(api.at("/egress/0/to/0/podSelector/matchLabels/k8s-app").asText()).isEqualTo("kube-dns");

        Map<String, JsonNode> production = render(new Helm(CHART).template().withName("shop")
                .withValuesFile(Path.of("src/test/resources/helm/production-values.yaml")).call());
        JsonNode restricted = production.get("NetworkPolicy/shop-tastemaker-api").get("spec");
        assertThat(restricted.at("/ingress/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("ingress-nginx");
        assertThat(egressPorts(restricted)).as("the model server is reachable once llm.baseUrl is set")
                .contains("443/TCP", "8000/TCP");
        assertThat(restricted.at("/egress/1/ports/0/port").asInt()).isEqualTo(5432);
        assertThat(restricted.at("/egress/1/to/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("db");

        Map<String, JsonNode> off = render(new Helm(CHART).template().withName("shop").set("networkPolicy.enabled", false).call());
        assertThat(off).doesNotContainKeys("NetworkPolicy/shop-tastemaker-api", "NetworkPolicy/shop-tastemaker-ingest");
    }

    @Test
    void kafka_tls_and_sasl_settings_reach_the_configuration_and_the_trust_store_is_mounted() throws Exception {
        Map<String, JsonNode> manifests = render(new Helm(CHART).template().withName("shop")
                .withValuesFile(Path.of("src/test/resources/helm/production-values.yaml")).call());

        JsonNode config = manifests.get("ConfigMap/shop-tastemaker").get("data");
        assertThat(config.get("TASTEMAKER_KAFKA_SECURITY_PROTOCOL").asText()).isEqualTo("SASL_SSL");
        assertThat(config.get("TASTEMAKER_KAFKA_SASL_MECHANISM").asText()).isEqualTo("SCRAM-SHA-512");
        assertThat(config.get("TASTEMAKER_KAFKA_SSL_TRUSTSTORE_LOCATION").asText()).isEqualTo("/etc/tastemaker/kafka-tls/ca.crt");
        assertThat(config.get("TASTEMAKER_KAFKA_SSL_TRUSTSTORE_TYPE").asText()).isEqualTo("PEM");
        assertThat(config.has("TASTEMAKER_KAFKA_SSL_KEYSTORE_LOCATION")).isFalse();
        for (String role : List.of("api", "ingest")) {
            JsonNode deployment = manifests.get("Deployment/shop-tastemaker-" + role);
            assertThat(mountPath(deployment.at("/spec/template/spec/containers/0"), "kafka-tls")).isEqualTo("/etc/tastemaker/kafka-tls");
            assertThat(volume(deployment, "kafka-tls").at("/secret/secretName").asText()).isEqualTo("kafka-cluster-ca");
        }
        JsonNode api = manifests.get("Deployment/shop-tastemaker-api");
        assertThat(volume(api, "bootstrap").at("/secret/secretName").asText()).isEqualTo("shop-tastemaker-operator");
        assertThat(volume(api, "bootstrap").at("/secret/items/0/key").asText()).isEqualTo("tm-operator");
        assertThat(manifests).doesNotContainKey("Secret/shop-tastemaker-bootstrap");

        assertThatThrownBy(() -> new Helm(CHART).template().withName("shop").set("kafka.tls.truststoreFile", "ca.crt").call())
                .hasMessageContaining("kafka.tls.existingSecret is required");
    }

    @Test
    void browser_origins_and_the_identity_provider_reach_the_configuration() throws Exception {
        Map<String, JsonNode> manifests = render(new Helm(CHART).template().withName("shop")
                .set("access.corsOrigins", "https://shop.example")
                .set("access.jwt.jwksUrl", "https://idp.shop.example/jwks").set("access.jwt.issuer", "https://idp.shop.example")
                .call());
        JsonNode config = manifests.get("ConfigMap/shop-tastemaker").get("data");
        assertThat(config.get("TASTEMAKER_CORS_ORIGINS").asText()).isEqualTo("https://shop.example");
        assertThat(config.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION").asText()).isEqualTo("https://idp.shop.example/jwks");
        assertThat(config.get("SMALLRYE_JWT_PATH_GROUPS").asText()).isEqualTo("groups");
        JsonNode defaults = render(new Helm(CHART).template().withName("shop").call()).get("ConfigMap/shop-tastemaker").get("data");
        assertThat(defaults.has("TASTEMAKER_CORS_ORIGINS")).isFalse();
        assertThat(defaults.has("MP_JWT_VERIFY_PUBLICKEY_LOCATION")).isFalse();
        assertThatThrownBy(() -> new Helm(CHART).template().withName("shop").set("access.jwt.jwksUrl", "https://idp/jwks").call())
                .hasMessageContaining("access.jwt.issuer is required");
    }

    private static List<String> egressPorts(JsonNode policy) {
        List<String> ports = new ArrayList<>();
        for (JsonNode rule : policy.get("egress")) {
            for (JsonNode port : rule.get("ports")) {
                ports.add(port.get("port").asText() + "/" + port.get("protocol").asText());
            }
        }
        return ports;
    }

    private static int port(JsonNode container, String name) {
        for (JsonNode port : container.get("ports")) {
            if (port.get("name").asText().equals(name)) {
                return port.get("containerPort").asInt();
            }
        }
        return -1;
    }

    private static JsonNode mount(JsonNode container, String volume) {
        for (JsonNode mount : container.get("volumeMounts")) {
            if (mount.get("name").asText().equals(volume)) {
                return mount;
            }
        }
        return null;
    }

    private static String mountPath(JsonNode container, String volume) {
        JsonNode mount = mount(container, volume);
        return mount == null ? null : mount.get("mountPath").asText();
    }

    private static JsonNode volume(JsonNode deployment, String name) {
        for (JsonNode volume : deployment.at("/spec/template/spec/volumes")) {
            if (volume.get("name").asText().equals(name)) {
                return volume;
            }
        }
        return null;
    }

    private static String env(JsonNode deployment, String name) {
        for (JsonNode env : deployment.at("/spec/template/spec/containers/0/env")) {
            if (env.get("name").asText().equals(name)) {
                return env.get("value").asText();
            }
        }
        return null;
    }

    private static String role(JsonNode deployment) {
        for (JsonNode env : deployment.at("/spec/template/spec/containers/0/env")) {
            if (env.get("name").asText().equals("TASTEMAKER_ROLE")) {
                return env.get("value").asText();
            }
        }
        return null;
    }

    /** Rendered manifests by "Kind/name". */
    private Map<String, JsonNode> render(String manifests) throws Exception {
        List<JsonNode> documents = new ArrayList<>();
        try (var parser = yaml.getFactory().createParser(manifests)) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
        }
        return documents.stream().filter(d -> d != null && d.has("kind"))
                .collect(Collectors.toMap(d -> d.get("kind").asText() + "/" + d.at("/metadata/name").asText(), d -> d));
    }
}
