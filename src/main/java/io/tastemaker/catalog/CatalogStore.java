package io.tastemaker.catalog;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.tastemaker.db.BlockingSql;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The catalog in PostgreSQL, through Hibernate Reactive. */
@ApplicationScoped
public class CatalogStore {

    private final Pool pool;

    CatalogStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Up to {@code max} product ids for a shelf of new arrivals: per category path, in stock first
     * and newest first ({@code updated_at}), at most {@code perCategory} each; interleaved, so every
     * category's newest comes before any category's second newest. Blocking: background jobs only.
     */
    public List<String> newArrivalsBlocking(int perCategory, int max, java.time.Duration timeout) {
        List<String> ids = new ArrayList<>();
        for (Row row : BlockingSql.query(pool, "SELECT id FROM (SELECT id, in_stock, updated_at, row_number() OVER"
                + " (PARTITION BY category_path ORDER BY in_stock DESC, updated_at DESC, id) AS n FROM products) ranked"
                + " WHERE n <= $1 ORDER BY n, in_stock DESC, updated_at DESC, id LIMIT $2", Tuple.of(perCategory, max),
                timeout)) {
            ids.add(row.getString("id"));
        }
        return ids;
    }

    /** Needs a session on the caller's Vert.x context (e.g. a resource annotated {@code @WithSession}). */
    public Uni<Optional<Product>> find(String id) {
        return ProductEntity.<ProductEntity>findById(id).map(e -> Optional.ofNullable(e).map(ProductEntity::toProduct));
    }

    /** Blocks the calling worker thread; for consumers and jobs, never for the event loop. */
    public Optional<Product> findBlocking(String id) {
        return await(() -> Panache.withSession(() -> find(id)));
    }

    /** Up to {@code size} products with ids after {@code afterId} (all when null), in id order: for jobs that walk the catalog. */
    public List<Product> pageAfterBlocking(String afterId, int size) {
        return await(() -> Panache.withSession(() -> (afterId == null
                ? ProductEntity.<ProductEntity>find("order by id")
                : ProductEntity.<ProductEntity>find("id > ?1 order by id", afterId))
                .page(0, size).list()
                .map(rows -> rows.stream().map(ProductEntity::toProduct).toList())));
    }

    /** The products of those ids that exist. */
    public Map<String, Product> findAllBlocking(java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return await(() -> Panache.withSession(() -> ProductEntity.<ProductEntity>list("id in ?1", List.copyOf(ids))
                .map(rows -> rows.stream().map(ProductEntity::toProduct)
                        .collect(Collectors.toMap(Product::id, Function.identity())))));
    }

    public long countBlocking() {
        // a lambda: a method reference would name PanacheEntityBase.count, which Panache does not enhance
        return await(() -> Panache.withSession(() -> ProductEntity.count()));
    }

    /**
     * Applies changes in one transaction. Each change is a product's whole new state, so applying
     * the same changes again (a replay) leaves the same rows: idempotent.
     */
    public void applyBlocking(List<CatalogChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        Map<String, CatalogChange> latest = CatalogChange.latestPerProduct(changes);
        await(() -> Panache.withTransaction(() -> ProductEntity.<ProductEntity>list("id in ?1", List.copyOf(latest.keySet()))
                .chain(rows -> {
                    Map<String, ProductEntity> existing = rows.stream()
                            .collect(Collectors.toMap(e -> e.id, Function.identity()));
                    List<Object> created = new ArrayList<>();
                    List<Object> removed = new ArrayList<>();
                    for (CatalogChange change : latest.values()) {
                        ProductEntity row = existing.get(change.productId());
                        if (change instanceof CatalogChange.Upsert upsert) {
                            if (row == null) {
                                row = new ProductEntity();
                                created.add(row);
                            }
                            row.copyFrom(upsert.product());
                        } else if (row != null) {
                            removed.add(row);
                        }
                    }
                    return Panache.getSession().chain(session -> session.persistAll(created.toArray())
                            .chain(() -> session.removeAll(removed.toArray()))
                            .chain(session::flush));
                })));
    }

    private static <T> T await(java.util.function.Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
