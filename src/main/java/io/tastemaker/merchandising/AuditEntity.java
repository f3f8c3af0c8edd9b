package io.tastemaker.merchandising;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.vertx.core.json.JsonObject;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A row of {@code merchandising_audit}: one create, update or delete of a rule, with the rule before and after. */
@Entity
@Table(name = "merchandising_audit")
public class AuditEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "rule_id")
    public long ruleId;
    public String operation;
    public String actor;
    public Instant at;
    /** The rule as the API showed it (jsonb); null on create. */
    public JsonObject before;
    /** null on delete. */
    public JsonObject after;
}
