package io.tastemaker.merchandising;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The one row of {@code merchandising_version}: how many rule writes were ever committed. */
@Entity
@Table(name = "merchandising_version")
public class RulesVersionEntity extends PanacheEntityBase {

    static final int ID = 1;

    @Id
    public int id;
    public long version;
}
