package io.tastemaker.vectors;

import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.JsonWithInt.Value;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.qdrant.client.ConditionFactory.hasId;
import static io.qdrant.client.ConditionFactory.match;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.range;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.nullValue;
import static io.qdrant.client.ValueFactory.value;

/**
 * How products look in Qdrant: point ids, payload fields, and the filter conditions our
 * {@link VectorFilter} becomes. Filter fields are stored pre-normalised ({@code *_key}) so that
 * Qdrant's exact keyword match gives our case-insensitive semantics.
 */
final class QdrantPayloads {

    static final String PRODUCT_ID = "product_id";
    static final String CATEGORY_KEYS = "category_keys";
    static final String BRAND_KEY = "brand_key";
    static final String TAG_KEYS = "tag_keys";
    static final String PRICE = "price";
    static final String IN_STOCK = "in_stock";
    /** Payload fields that filters use, each with a payload index. */
    static final Map<String, io.qdrant.client.grpc.Collections.PayloadSchemaType> INDEXED_FIELDS = Map.of(
            CATEGORY_KEYS, io.qdrant.client.grpc.Collections.PayloadSchemaType.Keyword,
            BRAND_KEY, io.qdrant.client.grpc.Collections.PayloadSchemaType.Keyword,
            TAG_KEYS, io.qdrant.client.grpc.Collections.PayloadSchemaType.Keyword,
            PRICE, io.qdrant.client.grpc.Collections.PayloadSchemaType.Float,
            IN_STOCK, io.qdrant.client.grpc.Collections.PayloadSchemaType.Bool,
            PRODUCT_ID, io.qdrant.client.grpc.Collections.PayloadSchemaType.Keyword);

    private QdrantPayloads() {
    }

    /** Qdrant ids are UUIDs or integers: a product id maps to a name-based UUID, the same every time. */
    static PointId pointId(String productId) {
        return id(UUID.nameUUIDFromBytes(("tastemaker:" + productId).getBytes(StandardCharsets.UTF_8)));
    }

    static Map<String, Value> toPayload(String productId, ProductPayload p) {
        Map<String, Value> payload = new HashMap<>();
        payload.put(PRODUCT_ID, value(productId));
        payload.put("title", value(p.title()));
        payload.put("brand", p.brand() == null ? nullValue() : value(p.brand()));
        payload.put(BRAND_KEY, p.brand() == null ? nullValue() : value(ProductPayload.normalize(p.brand())));
        payload.put("category_path", strings(p.categoryPath()));
        payload.put(CATEGORY_KEYS, strings(new ArrayList<>(p.categoryKeys())));
        payload.put("tags", strings(p.tags()));
        payload.put(TAG_KEYS, strings(p.tags().stream().map(ProductPayload::normalize).toList()));
        payload.put(PRICE, value(p.price().doubleValue()));
        // the double is for range filters; the exact decimal is what shoppers see
        payload.put("price_exact", value(p.price().toPlainString()));
        payload.put("currency", value(p.currency()));
        payload.put("image_url", p.imageUrl() == null ? nullValue() : value(p.imageUrl()));
        payload.put(IN_STOCK, value(p.inStock()));
        payload.put("text_hash", p.textHash() == null ? nullValue() : value(p.textHash()));
        return payload;
    }

    static ProductPayload fromPayload(Map<String, Value> payload) {
        return new ProductPayload(
                text(payload, "title"),
                text(payload, "brand"),
                texts(payload, "category_path"),
                texts(payload, "tags"),
                new BigDecimal(text(payload, "price_exact")),
                text(payload, "currency"),
                text(payload, "image_url"),
                payload.get(IN_STOCK).getBoolValue(),
                text(payload, "text_hash"));
    }

    static String productId(Map<String, Value> payload) {
        return text(payload, PRODUCT_ID);
    }

    /** The filter as Qdrant conditions, or null when it restricts nothing. */
    static Filter toFilter(VectorFilter f) {
        List<Condition> must = new ArrayList<>();
        if (f.category() != null) {
            must.add(matchKeyword(CATEGORY_KEYS, ProductPayload.normalize(f.category())));
        }
        if (f.brand() != null) {
            must.add(matchKeyword(BRAND_KEY, ProductPayload.normalize(f.brand())));
        }
        if (f.minPrice() != null || f.maxPrice() != null) {
            Range.Builder bounds = Range.newBuilder();
            if (f.minPrice() != null) {
                bounds.setGte(f.minPrice().doubleValue());
            }
            if (f.maxPrice() != null) {
                bounds.setLte(f.maxPrice().doubleValue());
            }
            must.add(range(PRICE, bounds.build()));
        }
        if (f.inStock() != null) {
            must.add(match(IN_STOCK, f.inStock()));
        }
        if (must.isEmpty() && f.excludeIds().isEmpty()) {
            return null;
        }
        Filter.Builder filter = Filter.newBuilder().addAllMust(must);
        if (!f.excludeIds().isEmpty()) {
            filter.addMustNot(hasId(f.excludeIds().stream().map(QdrantPayloads::pointId).toList()));
        }
        return filter.build();
    }

    private static Value strings(List<String> values) {
        return list(values.stream().map(v -> value(v)).toList());
    }

    private static String text(Map<String, Value> payload, String field) {
        Value v = payload.get(field);
        return v == null || v.hasNullValue() ? null : v.getStringValue();
    }

    private static List<String> texts(Map<String, Value> payload, String field) {
        Value v = payload.get(field);
        return v == null ? List.of() : v.getListValue().getValuesList().stream().map(Value::getStringValue).toList();
    }
}
