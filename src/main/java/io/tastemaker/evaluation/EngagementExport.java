package io.tastemaker.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tastemaker.models.training.ShopDataExportResource.EngagementLine;
import io.tastemaker.models.training.ShopDataExportResource.ProductLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service's own export, saved as downloaded: {@code products.ndjson} from
 * {@code GET /v1/training-data/products} (one product per line with the text the service embeds) and
 * {@code engagement.ndjson} from {@code GET /v1/training-data/engagement} (one engagement per line).
 * Items are numbered 1..n in {@code products.ndjson} order, so the whole exported catalog is ranked;
 * the exported text is embedded as it is (it already is the service's product text). Each shopper's
 * engagement is ordered by {@code occurredAt}, ties in file order; every exported engagement type
 * counts as an interaction (hides are never exported). Engagement with a product missing from
 * {@code products.ndjson} (deleted since) is skipped and counted.
 */
final class EngagementExport {

    static final String ENGAGEMENT = "engagement.ndjson";
    static final String PRODUCTS = "products.ndjson";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private EngagementExport() {
    }

    static Datasets.Dataset read(Path engagementFile, Path productsFile) throws IOException {
        Map<String, Integer> numbers = new HashMap<>();
        Map<Integer, String> texts = new HashMap<>();
        try (BufferedReader lines = Datasets.open(productsFile)) {
            int number = 0;
            for (String line; (line = lines.readLine()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                ProductLine product = parse(line, ProductLine.class, productsFile, number);
                required(product.productId(), "productId", productsFile, number);
                if (numbers.putIfAbsent(product.productId(), numbers.size() + 1) != null) {
                    throw DatasetException.at(productsFile, number, "productId '" + product.productId() + "' appears twice");
                }
                texts.put(numbers.size(), product.text() == null ? "" : product.text());
            }
        }
        record Event(int item, Instant at) {
        }
        Map<String, List<Event>> byShopper = new LinkedHashMap<>();
        Map<String, Integer> types = new java.util.TreeMap<>();
        long skipped = 0;
        try (BufferedReader lines = Datasets.open(engagementFile)) {
            int number = 0;
            for (String line; (line = lines.readLine()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                EngagementLine e = parse(line, EngagementLine.class, engagementFile, number);
                required(e.shopper(), "shopper", engagementFile, number);
                required(e.productId(), "productId", engagementFile, number);
                required(e.occurredAt(), "occurredAt", engagementFile, number);
                Instant at;
                try {
                    at = Instant.parse(e.occurredAt());
                } catch (DateTimeParseException ex) {
                    throw DatasetException.at(engagementFile, number, "occurredAt must be an ISO-8601 instant, got '"
                            + e.occurredAt() + "'");
                }
                Integer item = numbers.get(e.productId());
                if (item == null) {
                    skipped++;
                    continue;
                }
                types.merge(e.type() == null ? "?" : e.type(), 1, Integer::sum);
                byShopper.computeIfAbsent(e.shopper(), k -> new ArrayList<>()).add(new Event(item, at));
            }
        }
        List<int[]> sequences = new ArrayList<>(byShopper.size());
        for (List<Event> events : byShopper.values()) {
            events.sort(Comparator.comparing(Event::at)); // stable: ties keep file order
            sequences.add(events.stream().mapToInt(Event::item).toArray());
        }
        List<String> notes = new ArrayList<>();
        notes.add("Product text: the exported text, as the service embeds it");
        notes.add("Implicit feedback: every exported engagement counts as an interaction " + types
                + "; each shopper's by occurredAt, ties in file order");
        if (skipped > 0) {
            notes.add(skipped + " engagements with products missing from " + productsFile.getFileName() + " skipped");
        }
        return new Datasets.Dataset(Datasets.Layout.EXPORT, "engagement export",
                new Interactions(numbers.size(), sequences, texts, null), List.copyOf(notes));
    }

    private static <T> T parse(String line, Class<T> type, Path file, int number) {
        try {
            return JSON.readValue(line, type);
        } catch (JsonProcessingException e) {
            throw DatasetException.at(file, number, "not a JSON object of " + type.getSimpleName() + ": "
                    + e.getOriginalMessage());
        }
    }

    private static void required(String value, String field, Path file, int number) {
        if (value == null || value.isBlank()) {
            throw DatasetException.at(file, number, "no " + field);
        }
    }
}
