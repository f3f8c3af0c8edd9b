package io.tastemaker.vectors;

import org.junit.jupiter.api.AfterEach;

/**
 * The Qdrant adapter against the shared {@link VectorIndexContract}, talking gRPC through the
 * official client to the in-process {@link QdrantStandIn}.
 */
class QdrantVectorIndexTest extends VectorIndexContract {

    private final QdrantStandIn qdrant = new QdrantStandIn();
    private QdrantVectorStore store;

    @Override
    protected VectorIndex open() {
        store = QdrantVectorStore.over(qdrant.channel(), QdrantTestConfig.inProcess());
        return store.collection("contract", DIMENSION);
    }

    @Override
    protected VectorIndex reopen(VectorIndex current) {
        store.close();
        return open();
    }

    @AfterEach
    void stop() {
        store.close();
        qdrant.close();
    }
}
