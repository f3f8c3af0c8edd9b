package io.tastemaker.merchandising;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tastemaker.db.DatabaseUnavailable;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rules and their audit trail in PostgreSQL, through Hibernate Reactive. Every write runs in one
 * transaction that first locks and bumps the change counter ({@code merchandising_version}),
 * then changes the rule and appends its audit row: writers are serialised (rule writes are
 * rare), the audit order is the commit order, and instances that see the counter move reload.
 * Each method opens its own session, so callers need none; nothing here blocks.
 */
@ApplicationScoped
public class RuleStore {

    private static final java.time.Duration WRITE_TIMEOUT = java.time.Duration.ofSeconds(10);

    /** The rules as of one value of the change counter. */
    public record Snapshot(long version, List<Rule> rules) {
    }

    /** One audited change; {@code before} is null on create, {@code after} on delete. */
    public record AuditEntry(long id, long ruleId, String operation, String actor, Instant at, JsonNode before,
                             JsonNode after) {
    }

    private final ObjectMapper json;

    RuleStore(ObjectMapper json) {
        this.json = json;
    }

    public Uni<List<Rule>> list() {
        return Panache.withSession(() -> RuleEntity.<RuleEntity>listAll(Sort.by("id")).map(RuleStore::rules));
    }

    public Uni<Optional<Rule>> find(long id) {
        return Panache.withSession(() -> RuleEntity.<RuleEntity>findById(id)
                .map(e -> Optional.ofNullable(e).map(RuleEntity::toRule)));
    }

    /** The change counter: moves on every committed rule write. */
    public Uni<Long> version() {
        return Panache.withSession(() -> RulesVersionEntity.<RulesVersionEntity>findById(RulesVersionEntity.ID)
                .map(v -> v.version));
    }

    /**
     * The counter, then every rule. Under read-committed isolation the rules are at least as new
     * as the counter says, so a reader that remembers the counter never misses a change.
     */
    public Uni<Snapshot> snapshot() {
        return Panache.withSession(() -> RulesVersionEntity.<RulesVersionEntity>findById(RulesVersionEntity.ID)
                .chain(v -> RuleEntity.<RuleEntity>listAll(Sort.by("id"))
                        .map(rows -> new Snapshot(v.version, rules(rows)))));
    }

    public Uni<Rule> create(Rule draft, String actor) {
        return write(now -> {
            RuleEntity row = new RuleEntity();
            row.copyFrom(draft);
            row.version = 1;
            row.createdAt = now;
            row.updatedAt = now;
            return row.<RuleEntity>persistAndFlush()
                    .chain(() -> audit(row.id, "create", actor, now, null, row.toRule()));
        });
    }

    /**
     * Replaces the rule's fields; {@code expectedVersion} (from If-Match), when given, must be
     * the stored version or the write fails ({@link StaleRule}) and changes nothing.
     */
    public Uni<Rule> update(long id, Rule draft, Long expectedVersion, String actor) {
        return write(now -> RuleEntity.<RuleEntity>findById(id).chain(row -> {
            Rule before = existing(id, row);
            if (expectedVersion != null && expectedVersion != row.version) {
                throw new StaleRule(id, row.version, expectedVersion);
            }
            row.copyFrom(draft);
            row.version++;
            row.updatedAt = now;
            return audit(id, "update", actor, now, before, row.toRule());
        }));
    }

    /** Deletes the rule and answers it as it was. */
    public Uni<Rule> delete(long id, String actor) {
        return write(now -> RuleEntity.<RuleEntity>findById(id).chain(row -> {
            Rule before = existing(id, row);
            return row.delete().chain(() -> audit(id, "delete", actor, now, before, null)).replaceWith(before);
        }));
    }

    /** Newest first; {@code ruleId} null for every rule, {@code beforeId} null for the newest page. */
    public Uni<List<AuditEntry>> audit(Long ruleId, Long beforeId, int limit) {
        List<String> where = new ArrayList<>();
        Parameters params = new Parameters();
        if (ruleId != null) {
            where.add("ruleId = :rule");
            params.and("rule", ruleId);
        }
        if (beforeId != null) {
            where.add("id < :before");
            params.and("before", beforeId);
        }
        return Panache.withSession(() -> {
            PanacheQuery<AuditEntity> query = where.isEmpty() ? AuditEntity.findAll(Sort.descending("id"))
                    : AuditEntity.find(String.join(" and ", where), Sort.descending("id"), params);
            return query.range(0, limit - 1).list().map(rows -> rows.stream().map(this::entry).toList());
        });
    }

    /**
     * One change in one transaction, bounded by {@link #WRITE_TIMEOUT}: a database that stops
     * answering mid-write makes the merchandiser's call fail (503, try again) instead of hang.
     */
    private <T> Uni<T> write(Function<Instant, Uni<T>> work) {
        return Panache.withTransaction(() -> RulesVersionEntity.<RulesVersionEntity>findById(RulesVersionEntity.ID,
                        LockModeType.PESSIMISTIC_WRITE)
                .chain(counter -> {
                    counter.version++;
                    // taken once the lock is held, so timestamps follow the commit order
                    return work.apply(Instant.now().truncatedTo(ChronoUnit.MICROS));
                }))
                .ifNoItem().after(WRITE_TIMEOUT).failWith(() -> new DatabaseUnavailable("PostgreSQL did not answer within "
                        + WRITE_TIMEOUT.toSeconds() + " s; the rule change may not have been made. Try again shortly."))
                .onFailure(DatabaseUnavailable::isOutage)
                .transform(e -> e instanceof RuntimeException r ? DatabaseUnavailable.classify(r) : e);
    }

    private Uni<Rule> audit(long ruleId, String operation, String actor, Instant at, Rule before, Rule after) {
        AuditEntity row = new AuditEntity();
        row.ruleId = ruleId;
        row.operation = operation;
        row.actor = actor;
        row.at = at;
        row.before = before == null ? null : new JsonObject(RuleCodec.write(before).toString());
        row.after = after == null ? null : new JsonObject(RuleCodec.write(after).toString());
        return row.persist().replaceWith(after);
    }

    private static Rule existing(long id, RuleEntity row) {
        if (row == null) {
            throw new UnknownRule(id);
        }
        return row.toRule();
    }

    private AuditEntry entry(AuditEntity row) {
        return new AuditEntry(row.id, row.ruleId, row.operation, row.actor, row.at, tree(row.before), tree(row.after));
    }

    private JsonNode tree(JsonObject value) {
        if (value == null) {
            return null;
        }
        try {
            return json.readTree(value.encode());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit row holds invalid JSON", e);
        }
    }

    private static List<Rule> rules(List<RuleEntity> rows) {
        return rows.stream().map(RuleEntity::toRule).toList();
    }
}
