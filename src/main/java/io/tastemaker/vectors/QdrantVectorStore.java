package io.tastemaker.vectors;

import io.tastemaker.runtime.BreakerConfig;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.tastemaker.resilience.Dependency;
import io.qdrant.client.grpc.Collections.AliasDescription;
import io.qdrant.client.grpc.Collections.AliasOperations;
import io.qdrant.client.grpc.Collections.CreateAlias;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteAlias;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The production {@link VectorStore} on Qdrant: a collection per embedding-model version (cosine
 * distance, the model's dimension, a payload index for every filter field) and aliases switched
 * in one {@code UpdateAliases} request, which Qdrant applies atomically.
 */
public final class QdrantVectorStore implements VectorStore {

    private final QdrantClient client;
    private final QdrantCalls calls;
    private final VectorsConfig.Qdrant config;
    private final Map<String, QdrantVectorIndex> indexes = new ConcurrentHashMap<>();

    QdrantVectorStore(QdrantClient client, VectorsConfig.Qdrant config) {
        this.client = client;
        this.config = config;
        BreakerConfig b = config.breaker();
        this.calls = new QdrantCalls(config.timeout(), config.retries(), config.retryBackoff(),
                new Dependency("qdrant", new Dependency.Settings(b.window(), b.minimumCalls(), b.failureRatio(),
                        b.openFor())));
    }

    /** Connects to the configured server (TLS and API key as configured). */
    public static QdrantVectorStore connect(VectorsConfig.Qdrant config) {
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(config.host(), config.port(), config.tls())
                .withTimeout(config.timeout());
        config.apiKey().ifPresent(grpc::withApiKey);
        return new QdrantVectorStore(new QdrantClient(grpc.build()), config);
    }

    /** Over an existing channel, e.g. to an in-process server. */
    public static QdrantVectorStore over(ManagedChannel channel, VectorsConfig.Qdrant config) {
        QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(channel, true, false).withTimeout(config.timeout());
        config.apiKey().ifPresent(grpc::withApiKey);
        return new QdrantVectorStore(new QdrantClient(grpc.build()), config);
    }

    /** Qdrant as a dependency of the request path: its circuit breaker. */
    public Dependency dependency() {
        return calls.dependency();
    }

    @Override
    public VectorIndex collection(String name, int dimension) {
        return indexes.computeIfAbsent(name, n -> {
            if (!calls.call("check collection " + n, () -> client.collectionExistsAsync(n))) {
                create(n, dimension);
            }
            return new QdrantVectorIndex(client, n, calls, config.upsertBatchSize(), config.upsertParallelism());
        });
    }

    private void create(String name, int dimension) {
        try {
            calls.call("create collection " + name, () -> client.createCollectionAsync(CreateCollection.newBuilder()
                    .setCollectionName(name)
                    .setVectorsConfig(io.qdrant.client.grpc.Collections.VectorsConfig.newBuilder().setParams(VectorParams.newBuilder()
                            .setSize(dimension).setDistance(Distance.Cosine)))
                    .setShardNumber(config.shards())
                    .setReplicationFactor(config.replicas())
                    .build()));
        } catch (VectorStoreException e) {
            // another instance created it first: fine
            if (!alreadyExists(e)) {
                throw e;
            }
        }
        QdrantPayloads.INDEXED_FIELDS.forEach((field, type) -> calls.call("index payload field " + field,
                () -> client.createPayloadIndexAsync(CreateFieldIndexCollection.newBuilder()
                        .setCollectionName(name).setFieldName(field).setFieldType(fieldType(type)).setWait(true).build(),
                        null)));
    }

    private static io.qdrant.client.grpc.Points.FieldType fieldType(io.qdrant.client.grpc.Collections.PayloadSchemaType type) {
        return switch (type) {
            case Keyword -> io.qdrant.client.grpc.Points.FieldType.FieldTypeKeyword;
            case Float -> io.qdrant.client.grpc.Points.FieldType.FieldTypeFloat;
            case Bool -> io.qdrant.client.grpc.Points.FieldType.FieldTypeBool;
            default -> throw new IllegalArgumentException("no payload index type for " + type);
        };
    }

    /**
     * Points {@code alias} at {@code collection}. Instances starting together race here: when another
     * one created the alias between our look and our change, the change fails with "already exists";
     * then the alias is looked at again, and the change retried unless it already points where we want.
     */
    @Override
    public void pointAlias(String alias, String collection) {
        for (int attempt = 1; ; attempt++) {
            Optional<String> target = aliasTarget(alias);
            if (attempt > 1 && target.filter(collection::equals).isPresent()) {
                return;
            }
            List<AliasOperations> operations = new ArrayList<>();
            if (target.isPresent()) {
                operations.add(AliasOperations.newBuilder().setDeleteAlias(DeleteAlias.newBuilder().setAliasName(alias)).build());
            }
            operations.add(AliasOperations.newBuilder().setCreateAlias(
                    CreateAlias.newBuilder().setAliasName(alias).setCollectionName(collection)).build());
            try {
                calls.call("point alias " + alias + " at " + collection, () -> client.updateAliasesAsync(operations));
                return;
            } catch (VectorStoreException e) {
                if (!alreadyExists(e) || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static boolean alreadyExists(VectorStoreException e) {
        return e.code() == Status.Code.ALREADY_EXISTS || String.valueOf(e.getMessage()).contains("already exists");
    }

    @Override
    public Optional<String> aliasTarget(String alias) {
        return calls.call("list aliases", client::listAliasesAsync).stream()
                .filter(a -> a.getAliasName().equals(alias)).map(AliasDescription::getCollectionName).findFirst();
    }

    @Override
    public Set<String> collections() {
        List<String> names = calls.call("list collections", client::listCollectionsAsync);
        return new TreeSet<String>(names);
    }

    @Override
    public void drop(String collection) {
        indexes.remove(collection);
        calls.call("delete collection " + collection, () -> client.deleteCollectionAsync(collection));
    }

    @Override
    public boolean healthy() {
        try {
            client.healthCheckAsync(Duration.ofSeconds(2)).get();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
