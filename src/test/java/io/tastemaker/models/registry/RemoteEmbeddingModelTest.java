package io.tastemaker.models.registry;

import dev.langchain4j.data.segment.TextSegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A remote embeddings endpoint as the registry calls it: its replies never leak, its redirects are not followed. */
class RemoteEmbeddingModelTest {

    private ScriptedEmbeddingsServer server;
    private ScriptedEmbeddingsServer elsewhere;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedEmbeddingsServer(8);
        elsewhere = new ScriptedEmbeddingsServer(8);
    }

    @AfterEach
    void stop() {
        server.close();
        elsewhere.close();
    }

    @Test
    void should_embed_with_the_key_sent_to_the_endpoint() {
        var model = model(Duration.ofSeconds(5));
        assertThat(model.embedAll(List.of(TextSegment.from("red cup"), TextSegment.from("blue cup"))).content()).hasSize(2);
        assertThat(model.dimension()).isEqualTo(8);
        assertThat(server.requests()).extracting(ScriptedEmbeddingsServer.Request::authorization).contains("Bearer sk-test");
    }

    @Test
    void should_report_a_failure_by_status_without_the_endpoint_reply() {
        server.mode(ScriptedEmbeddingsServer.Mode.FAIL);
        Throwable failure = catchThrowable(() -> model(Duration.ofSeconds(5)).embed("red cup"));
        assertThat(failure).isInstanceOf(RemoteEmbeddingModel.Failure.class)
                .hasMessageContaining("answered HTTP 500").hasNoCause();
        assertThat(failure.toString()).doesNotContain("hunter2").doesNotContain("db.internal");
    }

    @Test
    void should_not_follow_a_redirect_so_the_key_stays_with_the_endpoint() {
        server.redirectTo(elsewhere.baseUrl("127.0.0.1") + "/embeddings");
        Throwable failure = catchThrowable(() -> model(Duration.ofSeconds(5)).embed("red cup"));
        assertThat(failure).hasMessageContaining("answered HTTP 307 (redirects are not followed)");
        assertThat(failure.toString()).doesNotContain("hunter2");
        assertThat(server.requests()).isNotEmpty();
        assertThat(elsewhere.requests()).isEmpty();
    }

    @Test
    void should_give_up_on_an_endpoint_that_does_not_answer_within_the_timeout() {
        server.mode(ScriptedEmbeddingsServer.Mode.HANG);
        Throwable failure = catchThrowable(() -> model(Duration.ofMillis(300)).embed("red cup"));
        assertThat(failure).isInstanceOf(RemoteEmbeddingModel.Failure.class).hasMessageContaining("did not answer within");
    }

    @Test
    void should_say_an_endpoint_cannot_be_reached() {
        int port = server.port();
        server.close();
        Throwable failure = catchThrowable(() -> new RemoteEmbeddingModel(URI.create("http://127.0.0.1:" + port + "/v1"),
                "scripted", "sk-test", Duration.ofSeconds(2)).embed("red cup"));
        assertThat(failure).isInstanceOf(RemoteEmbeddingModel.Failure.class).hasMessageContaining("could not be reached");
    }

    private RemoteEmbeddingModel model(Duration timeout) {
        return new RemoteEmbeddingModel(URI.create(server.baseUrl("127.0.0.1")), "scripted", "sk-test", timeout);
    }
}
