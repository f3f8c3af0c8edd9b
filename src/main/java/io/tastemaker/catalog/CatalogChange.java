package io.tastemaker.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One change on the catalog topic: each is a whole new state of one product. */
public sealed interface CatalogChange {

    /** Within a batch only the last change of each product matters; order between products is kept. */
    static Map<String, CatalogChange> latestPerProduct(List<CatalogChange> changes) {
        Map<String, CatalogChange> latest = new LinkedHashMap<>();
        for (CatalogChange change : changes) {
            latest.remove(change.productId());
            latest.put(change.productId(), change);
        }
        return latest;
    }

    String productId();

    record Upsert(Product product) implements CatalogChange {
        @Override
        public String productId() {
            return product.id();
        }
    }

    record Delete(String productId) implements CatalogChange {
    }
}
