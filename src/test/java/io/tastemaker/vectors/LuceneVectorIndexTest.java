package io.tastemaker.vectors;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

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
}
