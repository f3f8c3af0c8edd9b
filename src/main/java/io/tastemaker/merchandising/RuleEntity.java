package io.tastemaker.merchandising;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;

/** A row of {@code merchandising_rules}; see V3__merchandising.sql. */
@Entity
@Table(name = "merchandising_rules")
public class RuleEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String name;
    public String action;
    @Column(name = "match_type")
    public String matchType;
    @Column(name = "match_value")
    public String matchValue;
    public Double factor;
    public Integer position;
    public String[] surfaces;
    @Column(name = "starts_at")
    public Instant startsAt;
    @Column(name = "ends_at")
    public Instant endsAt;
    public int priority;
    public boolean enabled;
    public String note;
    public long version;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Takes the rule's own fields; id, version and timestamps stay the store's to set. */
    void copyFrom(Rule rule) {
        name = rule.name();
        action = rule.action().jsonName();
        matchType = rule.match().type().jsonName();
        matchValue = rule.match().value();
        factor = rule.factor();
        position = rule.position();
        surfaces = rule.surfaces().stream().sorted().toArray(String[]::new);
        startsAt = rule.startsAt();
        endsAt = rule.endsAt();
        priority = rule.priority();
        enabled = rule.enabled();
        note = rule.note();
    }

    Rule toRule() {
        return new Rule(id, name, Rule.Action.parse(action), new Rule.Match(Rule.Match.Type.parse(matchType), matchValue),
                factor, position, surfaces == null ? Set.of() : Set.copyOf(Arrays.asList(surfaces)), startsAt, endsAt,
                priority, enabled, note, version, createdAt, updatedAt);
    }
}
