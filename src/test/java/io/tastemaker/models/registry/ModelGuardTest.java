package io.tastemaker.models.registry;

import io.tastemaker.api.FieldError;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What a model version may reach: files, endpoints and key variables, at registration and at load. */
class ModelGuardTest {

    @TempDir
    Path root;
    private Path models;
    private Path elsewhere;
    private ModelGuard guard;

    @BeforeEach
    void layout() throws IOException {
        models = Files.createDirectories(root.resolve("data/models"));
        elsewhere = Files.createDirectories(root.resolve("secrets"));
        Files.writeString(models.resolve("model.onnx"), "weights");
        Files.createDirectories(models.resolve("bge"));
        Files.writeString(models.resolve("bge/tokenizer.json"), "{}");
        Files.writeString(elsewhere.resolve("db-password"), "hunter2");
        guard = new ModelGuard(models, List.of("tei.internal", "llm.internal:8000", "[::1]:9000"), "TASTEMAKER_MODEL_KEY_");
    }

    // ---- remote endpoints -------------------------------------------------------------------

    @Test
    void should_allow_a_host_on_the_list_on_any_port_and_a_host_port_entry_on_its_port_only() {
        assertThat(guard.endpoint("http://tei.internal:8080/v1")).hasHost("tei.internal");
        assertThat(guard.endpoint("https://TEI.internal./v1")).hasPath("/v1");
        assertThat(guard.endpoint("http://llm.internal:8000/v1")).hasPort(8000);
        assertThat(guard.endpoint("http://[::1]:9000/v1")).hasPort(9000);
        assertThat(refusal(() -> guard.endpoint("http://llm.internal:8001/v1")))
                .isEqualTo(new FieldError("baseUrl", "names llm.internal:8001, which is not on "
                        + "tastemaker.models.remote.allowed-hosts"));
        assertThat(refusal(() -> guard.endpoint("http://llm.internal/v1")).message()).contains("llm.internal:80,");
    }

    @Test
    void should_refuse_a_host_not_on_the_list_even_when_it_resolves_to_an_allowed_address() {
        ModelGuard local = new ModelGuard(models, List.of("localhost"), "TASTEMAKER_MODEL_KEY_");
        assertThat(local.endpoint("http://localhost:8080/v1")).hasHost("localhost");
        for (String url : List.of("http://127.0.0.1:8080/v1", "http://[::1]:8080/v1", "http://localhost.localdomain/v1",
                "http://169.254.169.254/latest/meta-data", "http://tei.internal.evil.example/v1")) {
            assertThat(refusal(() -> local.endpoint(url)).message()).as(url)
                    .contains("which is not on tastemaker.models.remote.allowed-hosts");
        }
    }

    @Test
    void should_refuse_credentials_in_the_url() {
        for (String url : List.of("http://user:pass@tei.internal/v1", "http://tei.internal@evil.example/v1",
                "http://tei.internal:8000@evil.example/v1", "http://@tei.internal/v1")) {
            FieldError refused = refusal(() -> guard.endpoint(url));
            assertThat(refused.field()).as(url).isEqualTo("baseUrl");
            assertThat(refused.message()).as(url).contains("must not carry credentials");
        }
    }

    @Test
    void should_refuse_other_schemes_and_what_is_not_a_url() {
        for (String url : List.of("file:///etc/passwd", "ftp://tei.internal/v1", "gopher://tei.internal:70/",
                "tei.internal/v1", "//tei.internal/v1")) {
            assertThat(refusal(() -> guard.endpoint(url)).message()).as(url).contains("must be an http or https URL");
        }
        assertThat(refusal(() -> guard.endpoint("http://tei internal/v1")).message()).contains("is not a URL");
        assertThat(refusal(() -> guard.endpoint("http:///v1")).message()).contains("must name a host");
        assertThat(refusal(() -> guard.endpoint(null)).message()).startsWith("is required");
    }

    @Test
    void should_refuse_every_remote_model_when_the_allow_list_is_empty_naming_the_setting() {
        ModelGuard closed = new ModelGuard(models, List.of(), "TASTEMAKER_MODEL_KEY_");
        FieldError refused = refusal(() -> closed.endpoint("http://tei.internal/v1"));
        assertThat(refused.field()).isEqualTo("baseUrl");
        assertThat(refused.message()).contains("tastemaker.models.remote.allowed-hosts is empty");
        assertThat(new ModelGuard(models, List.of(" "), "TASTEMAKER_MODEL_KEY_").check(ModelVersion.Kind.REMOTE,
                ModelVersion.Spec.remote("http://tei.internal/v1", "e5", null))).extracting(FieldError::field)
                .containsExactly("baseUrl");
    }

    @Test
    void should_refuse_an_allow_list_entry_that_is_not_a_host() {
        assertThatThrownBy(() -> new ModelGuard(models, List.of("http://tei.internal/v1"), "TASTEMAKER_MODEL_KEY_"))
                .hasMessageContaining("tastemaker.models.remote.allowed-hosts");
    }

    // ---- key variables ----------------------------------------------------------------------

    @Test
    void should_accept_only_key_variables_with_the_configured_prefix() {
        assertThat(guard.apiKeyEnv("TASTEMAKER_MODEL_KEY_TEI")).isEqualTo("TASTEMAKER_MODEL_KEY_TEI");
        assertThat(guard.apiKeyEnv(null)).isNull();
        for (String name : List.of("TASTEMAKER_DATABASE_PASSWORD", "PATH", "AWS_SECRET_ACCESS_KEY", "TASTEMAKER_MODEL_KEY_",
                "tastemaker_model_key_tei", "TASTEMAKER_MODEL_KEY_TEI=x", "X_TASTEMAKER_MODEL_KEY_TEI")) {
            FieldError refused = refusal(() -> guard.apiKeyEnv(name));
            assertThat(refused.field()).as(name).isEqualTo("apiKeyEnv");
            assertThat(refused.message()).as(name).contains("TASTEMAKER_MODEL_KEY_")
                    .contains("tastemaker.models.remote.api-key-env-prefix");
        }
        assertThatThrownBy(() -> new ModelGuard(models, List.of(), "")).hasMessageContaining("api-key-env-prefix");
    }

    // ---- model files ------------------------------------------------------------------------

    @Test
    void should_resolve_relative_and_absolute_paths_inside_the_models_directory() throws IOException {
        assertThat(guard.modelFile("modelPath", "model.onnx")).isEqualTo(models.resolve("model.onnx").toRealPath());
        assertThat(guard.modelFile("tokenizerPath", "bge/tokenizer.json")).isEqualTo(models.resolve("bge/tokenizer.json").toRealPath());
        assertThat(guard.modelFile("modelPath", models.resolve("model.onnx").toString())).isNotNull();
    }

    @Test
    void should_refuse_dot_dot_even_when_it_stays_inside() {
        assertThat(refusal(() -> guard.modelFile("modelPath", "bge/../model.onnx"))).isEqualTo(outside("modelPath"));
        assertThat(refusal(() -> guard.modelFile("modelPath", "../../secrets/db-password"))).isEqualTo(outside("modelPath"));
    }

    @Test
    void should_refuse_an_absolute_path_outside() {
        assertThat(refusal(() -> guard.modelFile("adapterPath", elsewhere.resolve("db-password").toString())))
                .isEqualTo(outside("adapterPath"));
        assertThat(refusal(() -> guard.modelFile("modelPath", "/etc/passwd"))).isEqualTo(outside("modelPath"));
    }

    @Test
    void should_refuse_a_link_leading_out_of_the_directory() throws IOException {
        Files.createSymbolicLink(models.resolve("innocent.onnx"), elsewhere.resolve("db-password"));
        Files.createSymbolicLink(models.resolve("shared"), elsewhere);
        assertThat(refusal(() -> guard.modelFile("modelPath", "innocent.onnx"))).isEqualTo(outside("modelPath"));
        assertThat(refusal(() -> guard.modelFile("modelPath", "shared/db-password"))).isEqualTo(outside("modelPath"));
        // a link that stays inside is fine
        Files.createSymbolicLink(models.resolve("current.onnx"), models.resolve("model.onnx"));
        assertThat(guard.modelFile("modelPath", "current.onnx")).isEqualTo(models.resolve("model.onnx").toRealPath());
    }

    @Test
    void should_say_the_same_for_a_file_outside_whether_it_exists_or_not() throws IOException {
        Files.createSymbolicLink(models.resolve("dangling.onnx"), elsewhere.resolve("no-such-file"));
        Files.createSymbolicLink(models.resolve("existing.onnx"), elsewhere.resolve("db-password"));
        FieldError existing = refusal(() -> guard.modelFile("modelPath", elsewhere.resolve("db-password").toString()));
        FieldError missing = refusal(() -> guard.modelFile("modelPath", elsewhere.resolve("no-such-file").toString()));
        FieldError existingByDots = refusal(() -> guard.modelFile("modelPath", "../../secrets/db-password"));
        FieldError missingByDots = refusal(() -> guard.modelFile("modelPath", "../../secrets/no-such-file"));
        FieldError existingByLink = refusal(() -> guard.modelFile("modelPath", "existing.onnx"));
        FieldError missingByLink = refusal(() -> guard.modelFile("modelPath", "dangling.onnx"));
        FieldError missingInside = refusal(() -> guard.modelFile("modelPath", "no-such-model.onnx"));
        assertThat(List.of(existing, missing, existingByDots, missingByDots, existingByLink, missingByLink, missingInside))
                .containsOnly(outside("modelPath"));
        assertThat(existing.message()).doesNotContain("secrets").doesNotContain("db-password");
    }

    @Test
    void should_refuse_a_directory_a_nul_byte_and_a_missing_path() {
        assertThat(refusal(() -> guard.modelFile("modelPath", "bge"))).isEqualTo(outside("modelPath"));
        assertThat(refusal(() -> guard.modelFile("modelPath", "model.onnx\u0000.txt"))).isEqualTo(outside("modelPath"));
        assertThat(refusal(() -> guard.modelFile("modelPath", null)).message()).startsWith("is required");
    }

    @Test
    void should_check_every_field_of_a_registration_at_once() {
        assertThat(guard.check(ModelVersion.Kind.ONNX, ModelVersion.Spec.onnx("/etc/passwd", "../x", "MEAN")))
                .extracting(FieldError::field).containsExactly("modelPath", "tokenizerPath");
        assertThat(guard.check(ModelVersion.Kind.REMOTE, ModelVersion.Spec.remote("http://evil.example/v1", "e5", "HOME")))
                .extracting(FieldError::field).containsExactly("baseUrl", "apiKeyEnv");
        assertThat(guard.check(ModelVersion.Kind.ADAPTER, ModelVersion.Spec.adapter("base", "model.onnx"))).isEmpty();
        assertThat(guard.check(ModelVersion.Kind.BUILTIN, ModelVersion.Spec.BUILTIN)).isEmpty();
    }

    @Test
    void should_parse_a_registration_with_every_refusal_named_by_field() {
        var body = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(Map.of("version", "tei", "kind", "remote",
                "baseUrl", "http://db.internal:5432/", "modelName", "e5", "apiKeyEnv", "TASTEMAKER_DATABASE_PASSWORD"));
        var refused = catchThrowableOfType(io.tastemaker.api.InvalidInputException.class,
                () -> ModelRegistration.parse((com.fasterxml.jackson.databind.JsonNode) body, guard));
        assertThat(refused.errors()).extracting(FieldError::field).containsExactly("baseUrl", "apiKeyEnv");
    }

    // ---- at load ----------------------------------------------------------------------------

    @Test
    void should_refuse_at_load_a_stored_row_written_before_the_rules() {
        ModelLoader loader = new ModelLoader(guard, java.time.Duration.ofSeconds(1));
        // rows as an unguarded registration wrote them: the database password sent to any host, a file anywhere
        var leak = ModelVersion.Spec.remote("http://attacker.example/v1", "e5", "TASTEMAKER_DATABASE_PASSWORD");
        assertThat(refusal(() -> loader.load(ModelVersion.Kind.REMOTE, leak, v -> null, null)).field()).isEqualTo("baseUrl");
        var keyOnly = ModelVersion.Spec.remote("http://tei.internal/v1", "e5", "TASTEMAKER_DATABASE_PASSWORD");
        assertThat(refusal(() -> loader.load(ModelVersion.Kind.REMOTE, keyOnly, v -> null, null)).field()).isEqualTo("apiKeyEnv");
        var file = ModelVersion.Spec.onnx(elsewhere.resolve("db-password").toString(), "bge/tokenizer.json", "MEAN");
        assertThat(refusal(() -> loader.load(ModelVersion.Kind.ONNX, file, v -> null, null))).isEqualTo(outside("modelPath"));
        var adapter = ModelVersion.Spec.adapter("base", "../../secrets/db-password");
        assertThat(refusal(() -> loader.load(ModelVersion.Kind.ADAPTER, adapter, v -> null, null))).isEqualTo(outside("adapterPath"));
        // an allowed remote row loads (nothing is called until it embeds)
        assertThat(loader.load(ModelVersion.Kind.REMOTE, ModelVersion.Spec.remote("http://tei.internal/v1", "e5",
                "TASTEMAKER_MODEL_KEY_TEI"), v -> null, null)).isInstanceOf(RemoteEmbeddingModel.class);
    }

    private FieldError outside(String field) {
        return new FieldError(field, "must be a readable file under the models directory " + models
                + " (tastemaker.models.directory): a path relative to it or inside it, without '..' and without links"
                + " leading out of it");
    }

    private static FieldError refusal(Runnable call) {
        ModelGuard.Refused refused = catchThrowableOfType(ModelGuard.Refused.class, call::run);
        assertThat(refused).as("refused").isNotNull();
        return refused.error();
    }
}
