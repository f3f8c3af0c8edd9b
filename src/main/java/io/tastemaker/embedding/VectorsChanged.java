package io.tastemaker.embedding;

import java.util.List;
import java.util.Map;

/**
 * A CDI event the pipeline fires after writing to a version's collection: the products it
 * embedded (new, or their text changed) with their new vectors, and the products it deleted. A
 * price or stock update keeps its vector and is not in it. Observers must return at once.
 */
public record VectorsChanged(ActiveModel.Serving target, Map<String, float[]> embedded, List<String> deleted) {
}
