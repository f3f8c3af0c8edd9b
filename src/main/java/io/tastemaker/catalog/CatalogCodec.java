package io.tastemaker.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.api.ProblemMapper;
import io.tastemaker.streams.BatchHandler;
import io.tastemaker.streams.VersionedJson;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of the catalog topic (schema 1), which merchants may also write directly:
 * <pre>
 * key: productId
 * {"schema":1, "op":"upsert", "product":{...}}
 * {"schema":1, "op":"delete", "productId":"..."}   (a null value, a tombstone, also deletes)
 * </pre>
 */
@ApplicationScoped
public class CatalogCodec {

    public static final int SCHEMA = 1;

    private final ObjectMapper json;

    public CatalogCodec(ObjectMapper json) {
        this.json = json;
    }

    public String encode(CatalogChange change) {
        ObjectNode node = json.createObjectNode().put("schema", SCHEMA);
        if (change instanceof CatalogChange.Upsert upsert) {
            node.put("op", "upsert").set("product", json.valueToTree(upsert.product()));
        } else {
            node.put("op", "delete").put("productId", change.productId());
        }
        return VersionedJson.write(json, node);
    }

    /**
     * Decodes and validates one record; throws {@link InvalidInputException} naming what is wrong.
     * A product without {@code updatedAt} takes the record's timestamp, so a replay yields the same row.
     */
    public CatalogChange decode(String key, String value, Instant recordTime) {
        if (key == null) {
            throw new InvalidInputException("key", "is required: the product id");
        }
        if (value == null) {
            ProductValidator.validateId("key", key);
            return new CatalogChange.Delete(key);
        }
        JsonNode node = VersionedJson.read(json, value, SCHEMA);
        String op = node.path("op").asText("");
        CatalogChange change = switch (op) {
            case "upsert" -> {
                Product product = readProduct(node.get("product"), "product");
                yield new CatalogChange.Upsert(product.updatedAt() != null ? product : product.withUpdatedAt(recordTime));
            }
            case "delete" -> {
                String id = node.path("productId").asText(null);
                ProductValidator.validateId("productId", id);
                yield new CatalogChange.Delete(id);
            }
            default -> throw new InvalidInputException("op", "must be 'upsert' or 'delete', got '" + op + "'");
        };
        if (!change.productId().equals(key)) {
            throw new InvalidInputException("key", "must equal the product id '" + change.productId()
                    + "' so that changes to one product stay in order, got '" + key + "'");
        }
        return change;
    }

    /** A batch of catalog records, decoded: each change beside its record, and the records that break the contract. */
    public record DecodedBatch(List<ConsumerRecord<String, String>> records, List<CatalogChange> changes,
                               List<BatchHandler.Rejected> rejected) {
    }

    /** Decodes a consumer batch; a record that breaks the contract is rejected with its reason. */
    public DecodedBatch decodeAll(List<ConsumerRecord<String, String>> batch) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>(batch.size());
        List<CatalogChange> changes = new ArrayList<>(batch.size());
        List<BatchHandler.Rejected> rejected = new ArrayList<>();
        for (ConsumerRecord<String, String> record : batch) {
            try {
                changes.add(decode(record.key(), record.value(), Instant.ofEpochMilli(record.timestamp())));
                records.add(record);
            } catch (InvalidInputException e) {
                rejected.add(new BatchHandler.Rejected(record, e.getMessage()));
            }
        }
        return new DecodedBatch(records, changes, rejected);
    }

    /** Reads and validates a product; field names in errors are prefixed with {@code prefix} unless it is empty. */
    public Product readProduct(JsonNode node, String prefix) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(prefix.isEmpty() ? "body" : prefix, "must be a JSON object");
        }
        Product product;
        try {
            product = json.treeToValue(node, Product.class);
        } catch (JsonMappingException e) {
            throw new InvalidInputException(qualify(prefix, ProblemMapper.jsonPath(e.getPath())), e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(prefix.isEmpty() ? "body" : prefix, e.getOriginalMessage());
        }
        try {
            ProductValidator.validate(product);
        } catch (InvalidInputException e) {
            List<FieldError> prefixed = e.errors().stream()
                    .map(f -> new FieldError(qualify(prefix, f.field()), f.message())).toList();
            throw new InvalidInputException(prefixed);
        }
        return product;
    }

    private static String qualify(String prefix, String field) {
        return prefix.isEmpty() ? field : prefix + "." + field;
    }

    public JsonNode parse(String text) throws JsonProcessingException {
        return json.readTree(text);
    }
}
