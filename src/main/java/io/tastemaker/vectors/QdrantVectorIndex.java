package io.tastemaker.vectors;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.VectorOutputHelper;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.RecommendPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.UpsertPoints;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.qdrant.client.VectorsFactory.vectors;
import static io.qdrant.client.WithPayloadSelectorFactory.enable;

/**
 * A {@link VectorIndex} over one Qdrant collection (or alias), through the official gRPC client.
 * Writes wait for Qdrant to apply them ({@code wait=true}), so they are durable when they return;
 * large upserts are split into batches sent in parallel.
 */
public final class QdrantVectorIndex implements VectorIndex {

    private final QdrantClient client;
    private final String collection;
    private final QdrantCalls calls;
    private final int upsertBatchSize;
    private final int upsertParallelism;

    QdrantVectorIndex(QdrantClient client, String collection, QdrantCalls calls, int upsertBatchSize,
                      int upsertParallelism) {
        this.client = client;
        this.collection = collection;
        this.calls = calls;
        this.upsertBatchSize = upsertBatchSize;
        this.upsertParallelism = upsertParallelism;
    }

    @Override
    public void upsert(List<VectorRecord> records) {
        List<PointStruct> points = records.stream().map(r -> PointStruct.newBuilder()
                .setId(QdrantPayloads.pointId(r.id()))
                .setVectors(vectors(r.vector()))
                .putAllPayload(QdrantPayloads.toPayload(r.id(), r.payload()))
                .build()).toList();
        // waves of parallel batches: bounded concurrency, every batch applied before returning
        int wave = upsertBatchSize * upsertParallelism;
        for (int from = 0; from < points.size(); from += wave) {
            List<PointStruct> slice = points.subList(from, Math.min(points.size(), from + wave));
            calls.call("upsert " + slice.size() + " points into " + collection, () -> {
                List<ListenableFuture<?>> batches = new ArrayList<>();
                for (int i = 0; i < slice.size(); i += upsertBatchSize) {
                    batches.add(client.upsertAsync(UpsertPoints.newBuilder().setCollectionName(collection).setWait(true)
                            .addAllPoints(slice.subList(i, Math.min(slice.size(), i + upsertBatchSize))).build()));
                }
                return Futures.whenAllSucceed(batches).call(() -> null, MoreExecutors.directExecutor());
            });
        }
    }

    @Override
    public void delete(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        calls.call("delete " + ids.size() + " points from " + collection, () -> client.deleteAsync(
                DeletePoints.newBuilder().setCollectionName(collection).setWait(true)
                        .setPoints(PointsSelector.newBuilder().setPoints(
                                PointsIdsList.newBuilder().addAllIds(pointIds(ids)))).build()));
    }

    @Override
    public List<VectorHit> search(float[] query, VectorFilter filter, int limit) {
        SearchPoints.Builder request = SearchPoints.newBuilder().setCollectionName(collection)
                .addAllVector(floats(query)).setLimit(limit).setWithPayload(enable(true));
        Filter conditions = QdrantPayloads.toFilter(filter);
        if (conditions != null) {
            request.setFilter(conditions);
        }
        return hits(calls.call("search " + collection, () -> client.searchAsync(request.build())));
    }

    @Override
    public List<VectorHit> recommend(Collection<String> positiveIds, Collection<String> negativeIds,
                                     VectorFilter filter, int limit) {
        // Qdrant refuses unknown example ids; our contract ignores them
        Set<String> known = existing(RecommendQuery.examples(positiveIds, negativeIds));
        List<String> positives = positiveIds.stream().filter(known::contains).toList();
        if (positives.isEmpty()) {
            return List.of();
        }
        RecommendPoints.Builder request = RecommendPoints.newBuilder().setCollectionName(collection)
                .addAllPositive(pointIds(positives))
                .addAllNegative(pointIds(negativeIds.stream().filter(known::contains).toList()))
                .setLimit(limit).setWithPayload(enable(true));
        Filter conditions = QdrantPayloads.toFilter(filter);
        if (conditions != null) {
            request.setFilter(conditions);
        }
        return hits(calls.call("recommend from " + collection, () -> client.recommendAsync(request.build())));
    }

    @Override
    public Map<String, VectorRecord> get(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        List<RetrievedPoint> points = retrieve(ids, true);
        Map<String, VectorRecord> found = new HashMap<>();
        for (RetrievedPoint p : points) {
            String id = QdrantPayloads.productId(p.getPayloadMap());
            List<Float> data = VectorOutputHelper.getDenseVector(p.getVectors().getVector()).getDataList();
            float[] vector = new float[data.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = data.get(i);
            }
            found.put(id, new VectorRecord(id, vector, QdrantPayloads.fromPayload(p.getPayloadMap())));
        }
        return found;
    }

    @Override
    public long count() {
        // an empty filter matches every point; exact, because callers compare counts
        return calls.call("count " + collection,
                () -> client.countAsync(collection, Filter.getDefaultInstance(), true));
    }

    @Override
    public void close() {
        // the client belongs to the store
    }

    private Set<String> existing(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(retrieve(ids, false).stream().map(p -> QdrantPayloads.productId(p.getPayloadMap())).toList());
    }

    private List<RetrievedPoint> retrieve(Collection<String> ids, boolean withVectors) {
        GetPoints request = GetPoints.newBuilder().setCollectionName(collection).addAllIds(pointIds(ids))
                .setWithPayload(enable(true))
                .setWithVectors(io.qdrant.client.WithVectorsSelectorFactory.enable(withVectors)).build();
        return calls.call("get points from " + collection, () -> client.retrieveAsync(request, null));
    }

    private static List<VectorHit> hits(List<ScoredPoint> points) {
        return points.stream().map(p -> new VectorHit(QdrantPayloads.productId(p.getPayloadMap()), p.getScore(),
                QdrantPayloads.fromPayload(p.getPayloadMap()))).toList();
    }

    private static List<PointId> pointIds(Collection<String> ids) {
        return ids.stream().map(QdrantPayloads::pointId).toList();
    }


    private static List<Float> floats(float[] vector) {
        List<Float> list = new ArrayList<>(vector.length);
        for (float v : vector) {
            list.add(v);
        }
        return list;
    }
}
