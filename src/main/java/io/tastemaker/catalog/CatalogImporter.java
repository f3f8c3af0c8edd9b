package io.tastemaker.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tastemaker.api.InvalidInputException;
import org.apache.kafka.clients.producer.RecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Streams an NDJSON body (one product per line) to the catalog topic. Lines are validated one
 * by one; valid ones are sent without waiting, and acknowledgements are awaited in windows so a
 * large import uses bounded memory. Answers only once the broker has every accepted line.
 */
@ApplicationScoped
public class CatalogImporter {

    static final int MAX_REPORTED_REJECTS = 1000;
    private static final int WINDOW = 5000;

    private final CatalogCodec codec;
    private final CatalogPublisher publisher;

    CatalogImporter(CatalogCodec codec, CatalogPublisher publisher) {
        this.codec = codec;
        this.publisher = publisher;
    }

    public ImportResult importNdjson(InputStream body) throws IOException {
        List<ImportResult.Reject> rejects = new ArrayList<>();
        long rejected = 0;
        long accepted = 0;
        List<Pending> window = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            long lineNumber = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Product product = codec.readProduct(codec.parse(line), "");
                    window.add(new Pending(lineNumber, publisher.upsert(product)));
                } catch (InvalidInputException e) {
                    rejected++;
                    addReject(rejects, lineNumber, e.getMessage());
                } catch (JsonProcessingException e) {
                    rejected++;
                    addReject(rejects, lineNumber, "not JSON: " + e.getOriginalMessage());
                }
                if (window.size() >= WINDOW) {
                    long failed = awaitAll(window, rejects);
                    accepted += window.size() - failed;
                    rejected += failed;
                    window.clear();
                }
            }
        }
        long failed = awaitAll(window, rejects);
        accepted += window.size() - failed;
        rejected += failed;
        rejects.sort(java.util.Comparator.comparingLong(ImportResult.Reject::line));
        return new ImportResult(accepted, rejected, rejects, rejected > rejects.size());
    }

    private static long awaitAll(List<Pending> window, List<ImportResult.Reject> rejects) {
        long failed = 0;
        for (Pending pending : window) {
            try {
                pending.ack.get(60, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                failed++;
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                addReject(rejects, pending.line, "the broker did not acknowledge it: " + cause.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("import interrupted", e);
            }
        }
        return failed;
    }

    private static void addReject(List<ImportResult.Reject> rejects, long line, String reason) {
        if (rejects.size() < MAX_REPORTED_REJECTS) {
            rejects.add(new ImportResult.Reject(line, reason));
        }
    }

    private record Pending(long line, CompletableFuture<RecordMetadata> ack) {
    }
}
