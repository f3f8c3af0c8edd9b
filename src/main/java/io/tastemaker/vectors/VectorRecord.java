package io.tastemaker.vectors;

import java.util.Objects;

/**
 * A product in the index: its embedding and its payload. Behaves as a record of the three (equal
 * when the id, the same vector array and an equal payload are), and remembers the vector's length
 * once asked: the request path takes cosines of the same records feed after feed.
 */
public final class VectorRecord {

    private final String id;
    private final float[] vector;
    private final ProductPayload payload;
    /** The vector's length, computed on first use; a racing second computation gives the same value. */
    private double norm = -1;

    public VectorRecord(String id, float[] vector, ProductPayload payload) {
        this.id = id;
        this.vector = vector;
        this.payload = payload;
    }

    public String id() {
        return id;
    }

    public float[] vector() {
        return vector;
    }

    public ProductPayload payload() {
        return payload;
    }

    /** The vector's Euclidean length (0 without a vector). */
    public double norm() {
        double n = norm;
        if (n < 0) {
            n = vector == null ? 0 : VectorMath.norm(vector);
            norm = n;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorRecord r && Objects.equals(id, r.id) && vector == r.vector
                && Objects.equals(payload, r.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, System.identityHashCode(vector), payload);
    }

    @Override
    public String toString() {
        return "VectorRecord[id=" + id + ", vector=" + (vector == null ? null : "float[" + vector.length + "]")
                + ", payload=" + payload + "]";
    }
}
