package io.tastemaker.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.streams.TopicUnavailable;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Streams an NDJSON body (one product per line) to the catalog topic. Lines are validated one
 * by one; valid ones are sent in chunks without waiting, and at most a few chunks wait for the
 * broker at a time, so a large import uses bounded memory. Answers only once the broker has every
 * accepted line. When the broker does not take a chunk (down, or not confirming within the
 * acknowledgement timeout), the import stops there with a 503 saying how far it got: sending the
 * file again, or its rest, is safe, as a change carries the product's whole state.
 */
@ApplicationScoped
public class CatalogImporter {

    static final int MAX_REPORTED_REJECTS = 1000;
    private static final int CHUNK = 500;
    private static final int CHUNKS_IN_FLIGHT = 10;

    private final CatalogCodec codec;
    private final CatalogPublisher publisher;

    CatalogImporter(CatalogCodec codec, CatalogPublisher publisher) {
        this.codec = codec;
        this.publisher = publisher;
    }

    public ImportResult importNdjson(InputStream body) throws IOException {
        Progress progress = new Progress();
        Deque<Chunk> inFlight = new ArrayDeque<>();
        List<Product> chunk = new ArrayList<>(CHUNK);
        long chunkStart = 0;
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
                    if (chunk.isEmpty()) {
                        chunkStart = lineNumber;
                    }
                    chunk.add(product);
                } catch (InvalidInputException e) {
                    progress.reject(lineNumber, e.getMessage());
                } catch (JsonProcessingException e) {
                    progress.reject(lineNumber, "not JSON: " + e.getOriginalMessage());
                }
                if (chunk.size() == CHUNK) {
                    send(chunk, chunkStart, inFlight, progress);
                    chunk = new ArrayList<>(CHUNK);
                }
            }
        }
        if (!chunk.isEmpty()) {
            send(chunk, chunkStart, inFlight, progress);
        }
        while (!inFlight.isEmpty()) {
            await(inFlight.removeFirst(), progress);
        }
        progress.rejects.sort(Comparator.comparingLong(ImportResult.Reject::line));
        return new ImportResult(progress.accepted, progress.rejected, progress.rejects,
                progress.rejected > progress.rejects.size());
    }

    private void send(List<Product> products, long firstLine, Deque<Chunk> inFlight, Progress progress) {
        Chunk sent = new Chunk(firstLine, products.size(), publisher.upsertAll(products));
        inFlight.addLast(sent);
        if (sent.ack.isCompletedExceptionally()) {
            // refused at once (the broker failed the last writes): stop reading, nothing more will go through
            while (!inFlight.isEmpty()) {
                await(inFlight.removeFirst(), progress);
            }
        }
        while (inFlight.size() > CHUNKS_IN_FLIGHT) {
            await(inFlight.removeFirst(), progress);
        }
    }

    /** Waits for one chunk's acknowledgement (bounded by the acknowledgement timeout); stops the import on a refusal. */
    private static void await(Chunk chunk, Progress progress) {
        try {
            chunk.ack.get();
            progress.accepted += chunk.products;
        } catch (ExecutionException e) {
            TopicUnavailable unavailable = e.getCause() instanceof TopicUnavailable u ? u : null;
            if (unavailable == null) {
                throw new IllegalStateException("the import failed", e.getCause());
            }
            throw unavailable.with("The import stopped at line " + chunk.firstLine + ": " + progress.accepted
                    + " products before it are acknowledged. Send the file again (or its lines from " + chunk.firstLine
                    + " on); a product's change replaces its whole state, so nothing is applied twice.",
                    Map.of("acknowledged", progress.accepted, "rejected", progress.rejected,
                            "resendFromLine", chunk.firstLine));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("import interrupted", e);
        }
    }

    private static final class Progress {
        final List<ImportResult.Reject> rejects = new ArrayList<>();
        long accepted;
        long rejected;

        void reject(long line, String reason) {
            rejected++;
            if (rejects.size() < MAX_REPORTED_REJECTS) {
                rejects.add(new ImportResult.Reject(line, reason));
            }
        }
    }

    private record Chunk(long firstLine, int products, CompletableFuture<Void> ack) {
    }
}
