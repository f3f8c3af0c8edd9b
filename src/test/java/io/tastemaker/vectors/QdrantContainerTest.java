package io.tastemaker.vectors;

import org.junit.jupiter.api.AfterEach;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * The Qdrant adapter against a real Qdrant server, wherever a Docker engine exists; without one,
 * JUnit reports these tests as skipped ("disabledWithoutDocker").
 */
@Testcontainers(disabledWithoutDocker = true)
class QdrantContainerTest extends VectorIndexContract {

    @Container
    static final QdrantContainer QDRANT = new QdrantContainer("qdrant/qdrant:v1.16.2");

    private static int collections;
    private QdrantVectorStore store;
    private String collection;

    @Override
    protected VectorIndex open() {
        store = connect();
        collection = "contract-" + (++collections);
        return store.collection(collection, DIMENSION);
    }

    @Override
    protected VectorIndex reopen(VectorIndex current) {
        store.close();
        store = connect();
        return store.collection(collection, DIMENSION);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static QdrantVectorStore connect() {
        return QdrantVectorStore.connect(new QdrantTestConfig(QDRANT.getHost(), QDRANT.getGrpcPort(), 16, java.time.Duration.ofSeconds(10)));
    }
}
