package io.tastemaker.models.registry;

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

        private final boolean retriable;

        Failure(String message, boolean retriable) {
            super(message, null, false, false);
            this.retriable = retriable;
        }
    }

    /** Attempts after the first, for a status or failure that may pass (5xx, 429, timeout, unreachable). */
    private static final int RETRIES = 2;
    private static final long RETRY_BACKOFF_MS = 250;

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
                .maxRetries(0) // retried here: LangChain4j's retries log the endpoint's reply
                .build();
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        for (int attempt = 1; ; attempt++) {
            try {
                return embedOnce(segments);
            } catch (Failure e) {
                if (!e.retriable || attempt > RETRIES) {
                    throw e;
                }
                try {
                    Thread.sleep(RETRY_BACKOFF_MS << (attempt - 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private Response<List<Embedding>> embedOnce(List<TextSegment> segments) {
        try {
            Response<List<Embedding>> response = delegate.embedAll(segments);
            if (response.content().size() != segments.size()) {
                throw new Failure("the embeddings endpoint " + endpoint + " returned " + response.content().size()
                        + " vectors for " + segments.size() + " texts", false);
            }
            return response;
        } catch (Failure e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure(e);
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
    private Failure failure(Throwable e) {
        String prefix = "the embeddings endpoint " + endpoint + " ";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpException http) {
                int status = http.statusCode();
                return new Failure(prefix + "answered HTTP " + status
                        + (status >= 300 && status < 400 ? " (redirects are not followed)" : "") + "; its reply is not shown",
                        status >= 500 || status == 429 || status == 408);
            }
            if (t instanceof HttpTimeoutException || t instanceof java.net.SocketTimeoutException
                    || t instanceof dev.langchain4j.exception.TimeoutException) {
                return new Failure(prefix + "did not answer within " + timeout.toMillis() + " ms", true);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return new Failure(prefix + "could not be reached", true);
            }
        }
        return new Failure(prefix + "failed (" + e.getClass().getSimpleName() + "); its reply is not shown", false);
    }
}
