package io.tastemaker.vectors;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class LuceneVectorStoreTest extends VectorStoreContract {

    @TempDir
    Path dir;

    @Override
    protected VectorStore open() {
        return new LuceneVectorStore(dir);
    }
}
