package io.tastemaker.models;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * An OpenAI-compatible embeddings endpoint, called so that nothing of it leaks: the HTTP client
 * never follows a redirect (the key would go along) and uses no proxy, and a failure is reported
 * as the status or a generic reason, never with the endpoint's reply, which may be anything (an
 * internal page, a reflected secret). Every call is bounded by the configured timeout.
 */
final class RemoteEmbeddingModel implements EmbeddingModel {

    /** A remote model failed; the message says how without repeating what the endpoint answered. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    private final EmbeddingModel delegate;
    private final String endpoint;
    private final Duration timeout;
    private volatile int dimension;

    RemoteEmbeddingModel(URI baseUrl, String modelName, String apiKey, Duration timeout) {
        this.endpoint = baseUrl.getScheme() + "://" + baseUrl.getRawAuthority();
        this.timeout = timeout;
        this.delegate = OpenAiEmbeddingModel.builder()
                .httpClientBuilder(new JdkHttpClientBuilder().httpClientBuilder(HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .proxy(HttpClient.Builder.NO_PROXY)))
                .baseUrl(baseUrl.toString())
                .modelName(modelName)
                .apiKey(apiKey)
                .timeout(timeout)
                .maxRetries(2)
                .build();
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        try {
            Response<List<Embedding>> response = delegate.embedAll(segments);
            if (response.content().size() != segments.size()) {
                throw new Failure("the embeddings endpoint " + endpoint + " returned " + response.content().size()
                        + " vectors for " + segments.size() + " texts");
            }
            return response;
        } catch (Failure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Failure("the embeddings endpoint " + endpoint + " " + reason(e));
        }
    }

    @Override
    public int dimension() {
        if (dimension == 0) {
            dimension = embed("dimension probe").content().vector().length;
        }
        return dimension;
    }

    /** What went wrong, from the exception's types and the status only: messages may quote the reply. */
    private String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException http) {
                int status = http.statusCode();
                return "answered HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : "")
                        + "; its reply is not shown";
            }
            if (t instanceof HttpTimeoutException || t instanceof java.net.SocketTimeoutException
                    || t instanceof dev.langchain4j.exception.TimeoutException) {
                return "did not answer within " + timeout.toSeconds() + " s";
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return "could not be reached";
            }
        }
        return "failed (" + e.getClass().getSimpleName() + "); its reply is not shown";
    }
}
