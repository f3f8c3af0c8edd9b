package io.tastemaker.vectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded Lucene adapter against the shared {@link VectorIndexContract}. */
class LuceneVectorIndexTest extends VectorIndexContract {

    @TempDir
    Path dir;

    @Override
    protected VectorIndex open() {
        return LuceneVectorIndex.open(dir);
    }

    @Override
    protected VectorIndex reopen(VectorIndex current) {
        current.close();
        return LuceneVectorIndex.open(dir);
    }

    /** What the neighbour lists' build walks: every live product once, in id order, page by page. */
    @Test
    void ids_are_listed_in_order_after_a_cursor_each_live_product_once() {
        List<VectorRecord> records = randomRecords(30, new Random(3)); // ids r0 … r29
        index.upsert(records);
        index.upsert(records.subList(0, 5)); // written again: still one product each
        index.delete(List.of(records.get(7).id(), records.get(20).id()));

        List<String> walked = new ArrayList<>();
        String after = null;
        for (List<String> page; !(page = index.idsAfter(after, 4).orElseThrow()).isEmpty(); after = page.get(page.size() - 1)) {
            assertThat(page).hasSizeLessThanOrEqualTo(4);
            walked.addAll(page);
        }

        List<String> expected = records.stream().map(VectorRecord::id)
                .filter(id -> !id.equals(records.get(7).id()) && !id.equals(records.get(20).id())).sorted().toList();
        assertThat(walked).containsExactlyElementsOf(expected);
        assertThat(index.idsAfter(expected.get(expected.size() - 1), 4).orElseThrow()).isEmpty();
        assertThat(index.idsAfter("r1", 2).orElseThrow()).as("after an id that exists: the ones after it")
                .containsExactlyElementsOf(expected.stream().filter(id -> id.compareTo("r1") > 0).limit(2).toList());
    }
}
