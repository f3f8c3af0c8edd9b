package io.tastemaker.vectors;

/** A product in the index: its embedding and its payload. */
public record VectorRecord(String id, float[] vector, ProductPayload payload) {
}
