package io.tastemaker.vectors;

import org.junit.jupiter.api.AfterEach;

class QdrantVectorStoreTest extends VectorStoreContract {

    private final QdrantStandIn qdrant = new QdrantStandIn();

    @Override
    protected VectorStore open() {
        return QdrantVectorStore.over(qdrant.channel(), QdrantTestConfig.inProcess());
    }

    @AfterEach
    void stop() {
        qdrant.close();
    }
}
