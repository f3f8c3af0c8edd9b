package io.tastemaker.bench;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.tastemaker.demo.DemoCatalog;
import io.tastemaker.embedding.ProductText;

import java.util.List;

/**
 * The bundled model's own rate on the demo catalog's texts (batches of 64, as the pipeline and
 * index builds use), to compare a background index build with: {@code RawEmbeddingRate [products=2000]}.
 */
public final class RawEmbeddingRate {

    private RawEmbeddingRate() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        List<TextSegment> texts = DemoCatalog.generate(6000, 42).stream().limit(count)
                .map(p -> TextSegment.from(ProductText.of(p))).toList();
        EmbeddingModel model = new BgeSmallEnV15QuantizedEmbeddingModel();
        model.embedAll(texts.subList(0, 128)); // warm-up
        long began = System.nanoTime();
        for (int from = 0; from < texts.size(); from += 64) {
            model.embedAll(texts.subList(from, Math.min(texts.size(), from + 64)));
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        System.out.printf("raw model: %d demo product texts in %.1f s = %.0f texts/s (embedAll, batches of 64)%n",
                texts.size(), seconds, texts.size() / seconds);
    }
}
