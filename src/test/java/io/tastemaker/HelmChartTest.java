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

/** The Helm chart lints strictly and renders what an operator expects, without a cluster. */
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
        assertThat(container.at("/envFrom/1/secretRef/name").asText()).isEqualTo("shop-tastemaker");
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
        assertThat(api.at("/spec/template/spec/containers/0/envFrom/1/secretRef/name").asText())
                .isEqualTo("shop-tastemaker-credentials");
        assertThat(api.at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("registry.example.com/shop/tastemaker:0.1.0");
        assertThat(manifests.get("Deployment/shop-tastemaker-ingest").at("/spec/replicas").asInt()).isEqualTo(4);
        assertThat(manifests.get("HorizontalPodAutoscaler/shop-tastemaker-api").at("/spec/maxReplicas").asInt()).isEqualTo(20);
        JsonNode monitor = manifests.get("ServiceMonitor/shop-tastemaker");
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        assertThat(manifests.get("Service/shop-tastemaker-metrics").at("/spec/clusterIP").asText()).isEqualTo("None");
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
