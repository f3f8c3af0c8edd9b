package io.tastemaker.security;

import io.tastemaker.db.BlockingSql;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API keys in PostgreSQL ({@code V9__api_keys.sql}). Every write bumps {@code api_keys_version}
 * in its transaction, which is what {@link ApiKeys} polls. Blocking: call from worker threads,
 * the key poller or the {@code keys} command, never from an event loop.
 */
@ApplicationScoped
public class ApiKeyStore {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String COLUMNS = "id, name, prefix, roles, rate_limit, created_by, created_at, last_used_at,"
            + " expires_at, revoked_at";

    /** What a new key is for; {@code expiresAt} and {@code rateLimit} are optional. */
    public record NewKey(String name, List<String> roles, Integer rateLimit, Instant expiresAt, String createdBy) {
    }

    /** A key just made, with the secret that is never shown again. */
    public record Created(ApiKey key, String secret) {
    }

    /** Every key by the hash of its secret, as of a change counter. */
    public record Snapshot(long version, Map<String, ApiKey> byHash) {
    }

    private final Pool pool;

    public ApiKeyStore(Pool pool) {
        this.pool = pool;
    }

    public Created create(NewKey spec) {
        String secret = ApiKeySecret.generate();
        return new Created(insert(secret, spec).orElseThrow(), secret);
    }

    /**
     * Registers a secret made elsewhere (a mounted bootstrap file, a key kept by the embedded
     * runtime) unless it is registered already; empty when it was.
     */
    public Optional<ApiKey> registerIfAbsent(String secret, NewKey spec) {
        return insert(secret, spec);
    }

    private Optional<ApiKey> insert(String secret, NewKey spec) {
        return BlockingSql.inTransaction(pool, TIMEOUT, tx -> {
            Optional<ApiKey> key = one(tx, "INSERT INTO api_keys (name, prefix, secret_hash, roles, rate_limit, created_by,"
                    + " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, now(), $7)"
                    + " ON CONFLICT (secret_hash) DO NOTHING RETURNING " + COLUMNS,
                    Tuple.from(new Object[]{spec.name(), ApiKeySecret.displayPrefix(secret), ApiKeySecret.hash(secret),
                            spec.roles().toArray(String[]::new), spec.rateLimit(), spec.createdBy(),
                            spec.expiresAt() == null ? null : OffsetDateTime.ofInstant(spec.expiresAt(), ZoneOffset.UTC)}));
            key.ifPresent(k -> bump(tx));
            return key;
        });
    }

    /** Every key, newest first. */
    public List<ApiKey> list() {
        List<ApiKey> keys = new ArrayList<>();
        for (Row row : BlockingSql.query(pool, "SELECT " + COLUMNS + " FROM api_keys ORDER BY id DESC", Tuple.tuple(),
                TIMEOUT)) {
            keys.add(read(row));
        }
        return keys;
    }

    public Optional<ApiKey> find(long id) {
        return one(pool, "SELECT " + COLUMNS + " FROM api_keys WHERE id = $1", Tuple.of(id));
    }

    public Optional<ApiKey> findBySecret(String secret) {
        return one(pool, "SELECT " + COLUMNS + " FROM api_keys WHERE secret_hash = $1", Tuple.of(ApiKeySecret.hash(secret)));
    }

    /** Revokes a key (for good); the key as it now is, empty if there is no such key. */
    public Optional<ApiKey> revoke(long id) {
        return BlockingSql.inTransaction(pool, TIMEOUT, tx -> {
            Optional<ApiKey> key = one(tx, "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1"
                    + " RETURNING " + COLUMNS, Tuple.of(id));
            key.ifPresent(k -> bump(tx));
            return key;
        });
    }

    public boolean hasActiveOperatorKey() {
        return BlockingSql.query(pool, "SELECT 1 FROM api_keys WHERE 'operator' = ANY (roles) AND revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > now()) LIMIT 1", Tuple.tuple(), TIMEOUT).size() > 0;
    }

    public long version() {
        return BlockingSql.query(pool, "SELECT version FROM api_keys_version WHERE id = 1", Tuple.tuple(), TIMEOUT)
                .iterator().next().getLong(0);
    }

    /** Every key with its hash, and the change counter read in the same snapshot. */
    public Snapshot snapshot() {
        return BlockingSql.inTransaction(pool, TIMEOUT, tx -> {
            tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute().await().atMost(TIMEOUT);
            long version = BlockingSql.query(tx, "SELECT version FROM api_keys_version WHERE id = 1", Tuple.tuple(),
                    TIMEOUT).iterator().next().getLong(0);
            Map<String, ApiKey> byHash = new HashMap<>();
            for (Row row : BlockingSql.query(tx, "SELECT secret_hash, " + COLUMNS + " FROM api_keys", Tuple.tuple(),
                    TIMEOUT)) {
                byHash.put(row.getString("secret_hash"), read(row));
            }
            return new Snapshot(version, byHash);
        });
    }

    /**
     * Records when keys were last used. Not a change the caches need to see, so the counter
     * stays where it is (a busy storefront key would otherwise reload every cache every flush).
     */
    public void touch(Map<Long, Instant> lastUsed) {
        if (lastUsed.isEmpty()) {
            return;
        }
        Long[] ids = lastUsed.keySet().toArray(Long[]::new);
        OffsetDateTime[] times = new OffsetDateTime[ids.length];
        for (int i = 0; i < ids.length; i++) {
            times[i] = OffsetDateTime.ofInstant(lastUsed.get(ids[i]), ZoneOffset.UTC);
        }
        BlockingSql.query(pool, "UPDATE api_keys k SET last_used_at = greatest(k.last_used_at, u.at)"
                + " FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, at) WHERE k.id = u.id",
                Tuple.of(ids, times), TIMEOUT);
    }

    private static void bump(SqlClient tx) {
        BlockingSql.query(tx, "UPDATE api_keys_version SET version = version + 1 WHERE id = 1", Tuple.tuple(), TIMEOUT);
    }

    private static Optional<ApiKey> one(SqlClient client, String sql, Tuple args) {
        var rows = BlockingSql.query(client, sql, args, TIMEOUT);
        return rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next()));
    }

    private static ApiKey read(Row row) {
        return new ApiKey(row.getLong("id"), row.getString("name"), row.getString("prefix"),
                List.of(row.getArrayOfStrings("roles")), row.getInteger("rate_limit"), row.getString("created_by"),
                BlockingSql.instant(row.getOffsetDateTime("created_at")),
                BlockingSql.instant(row.getOffsetDateTime("last_used_at")),
                BlockingSql.instant(row.getOffsetDateTime("expires_at")),
                BlockingSql.instant(row.getOffsetDateTime("revoked_at")));
    }
}
