package io.tastemaker.vectors;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.PointsGrpc;
import io.qdrant.client.grpc.QdrantGrpc;
import io.qdrant.client.grpc.QdrantOuterClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A protocol stand-in for Qdrant, <b>not Qdrant</b>: an in-process gRPC server built on the
 * service bases generated into the official client jar, holding points in memory and searching
 * them exactly (no HNSW). It answers the calls our adapter makes the way Qdrant documents them
 * (cosine vectors normalised on write, aliases resolved everywhere, alias changes applied all or
 * nothing, unknown collections NOT_FOUND, wrong dimensions INVALID_ARGUMENT) and refuses, with
 * UNIMPLEMENTED, any request shape it does not model, so an adapter change that sends something
 * new fails loudly here. It records every request for tests to check batching and filters, and
 * can be told to fail the next calls to exercise retries. Tests against a real Qdrant run
 * through Testcontainers where Docker exists.
 */
public final class QdrantStandIn implements AutoCloseable {

    private record Point(Common.PointId id, float[] vector, Map<String, Value> payload) {
    }

    private static final class Collection {
        final int dimension;
        final Map<String, Point> points = new LinkedHashMap<>();
        final Set<String> indexedFields = new HashSet<>();

        Collection(int dimension) {
            this.dimension = dimension;
        }
    }

    private final Map<String, Collection> collections = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Points.UpsertPoints> upserts = new CopyOnWriteArrayList<>();
    private final List<Common.Filter> filters = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong serverNanos = new java.util.concurrent.atomic.AtomicLong();
    private volatile Status injectedFailure = Status.UNAVAILABLE;
    private final Server server;
    private final String name = "qdrant-stand-in-" + UUID.randomUUID();

    /** In process: reach it through {@link #channel()}. */
    public QdrantStandIn() {
        this(false);
    }

    /** With {@code onLoopbackPort}, also reachable over TCP on {@link #port()}, as a service configured by host and port. */
    public QdrantStandIn(boolean onLoopbackPort) {
        try {
            io.grpc.ServerBuilder<?> builder = onLoopbackPort
                    ? io.grpc.ServerBuilder.forPort(0) : InProcessServerBuilder.forName(name).directExecutor();
            server = builder.addService(new CollectionsService()).addService(new PointsService())
                    .addService(new HealthService()).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getPort();
    }

    public ManagedChannel channel() {
        return InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    /** The names of the RPCs received, in order, e.g. {@code Upsert products-v1 256}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    public List<Points.UpsertPoints> upserts() {
        return List.copyOf(upserts);
    }

    /** Every filter sent with a search, recommend or count. */
    public List<Common.Filter> filters() {
        return List.copyOf(filters);
    }

    public synchronized Set<String> indexedFields(String collection) {
        return Set.copyOf(resolve(collection).indexedFields);
    }

    /** Time spent computing answers inside the stand-in, so benchmarks can tell client-side cost apart. */
    public long serverNanos() {
        return serverNanos.get();
    }

    /** The next {@code count} calls fail with {@code status}. */
    public void failNext(int count, Status status) {
        injectedFailure = status;
        failuresToInject.set(count);
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    // ---- the services --------------------------------------------------------

    private final class CollectionsService extends CollectionsGrpc.CollectionsImplBase {

        @Override
        public void collectionExists(Collections.CollectionExistsRequest request,
                                     StreamObserver<Collections.CollectionExistsResponse> out) {
            answer("CollectionExists " + request.getCollectionName(), out, () -> Collections.CollectionExistsResponse
                    .newBuilder().setResult(Collections.CollectionExists.newBuilder()
                            .setExists(collections.containsKey(request.getCollectionName()))).build());
        }

        @Override
        public void create(Collections.CreateCollection request, StreamObserver<Collections.CollectionOperationResponse> out) {
            answer("Create " + request.getCollectionName(), out, () -> {
                if (collections.containsKey(request.getCollectionName())) {
                    throw Status.INVALID_ARGUMENT.withDescription("Wrong input: Collection `"
                            + request.getCollectionName() + "` already exists!").asRuntimeException();
                }
                Collections.VectorParams params = request.getVectorsConfig().getParams();
                if (params.getSize() <= 0 || params.getDistance() != Collections.Distance.Cosine) {
                    throw unimplemented("collections other than one unnamed cosine vector");
                }
                collections.put(request.getCollectionName(), new Collection((int) params.getSize()));
                return ok();
            });
        }

        @Override
        public void delete(Collections.DeleteCollection request, StreamObserver<Collections.CollectionOperationResponse> out) {
            answer("Delete " + request.getCollectionName(), out, () -> {
                boolean existed = collections.remove(request.getCollectionName()) != null;
                aliases.values().removeIf(request.getCollectionName()::equals);
                return Collections.CollectionOperationResponse.newBuilder().setResult(existed).build();
            });
        }

        @Override
        public void list(Collections.ListCollectionsRequest request, StreamObserver<Collections.ListCollectionsResponse> out) {
            answer("List", out, () -> Collections.ListCollectionsResponse.newBuilder().addAllCollections(
                    collections.keySet().stream().map(n -> Collections.CollectionDescription.newBuilder().setName(n).build())
                            .toList()).build());
        }

        @Override
        public void updateAliases(Collections.ChangeAliases request, StreamObserver<Collections.CollectionOperationResponse> out) {
            answer("UpdateAliases " + request.getActionsCount(), out, () -> {
                Map<String, String> next = new HashMap<>(aliases);
                for (Collections.AliasOperations op : request.getActionsList()) {
                    switch (op.getActionCase()) {
                        case CREATE_ALIAS -> {
                            var create = op.getCreateAlias();
                            if (!collections.containsKey(create.getCollectionName())) {
                                throw Status.NOT_FOUND.withDescription("Collection `" + create.getCollectionName()
                                        + "` doesn't exist!").asRuntimeException();
                            }
                            if (next.containsKey(create.getAliasName())) {
                                throw Status.INVALID_ARGUMENT.withDescription("Alias `" + create.getAliasName()
                                        + "` already exists!").asRuntimeException();
                            }
                            next.put(create.getAliasName(), create.getCollectionName());
                        }
                        case DELETE_ALIAS -> {
                            if (next.remove(op.getDeleteAlias().getAliasName()) == null) {
                                throw Status.NOT_FOUND.withDescription("Alias `" + op.getDeleteAlias().getAliasName()
                                        + "` doesn't exist!").asRuntimeException();
                            }
                        }
                        default -> throw unimplemented("alias operation " + op.getActionCase());
                    }
                }
                // all or nothing, as Qdrant applies one UpdateAliases request
                aliases.clear();
                aliases.putAll(next);
                return ok();
            });
        }

        @Override
        public void listAliases(Collections.ListAliasesRequest request, StreamObserver<Collections.ListAliasesResponse> out) {
            answer("ListAliases", out, () -> Collections.ListAliasesResponse.newBuilder().addAllAliases(
                    aliases.entrySet().stream().map(a -> Collections.AliasDescription.newBuilder()
                            .setAliasName(a.getKey()).setCollectionName(a.getValue()).build()).toList()).build());
        }

        private Collections.CollectionOperationResponse ok() {
            return Collections.CollectionOperationResponse.newBuilder().setResult(true).build();
        }
    }

    private final class PointsService extends PointsGrpc.PointsImplBase {

        @Override
        public void createFieldIndex(Points.CreateFieldIndexCollection request,
                                     StreamObserver<Points.PointsOperationResponse> out) {
            answer("CreateFieldIndex " + request.getCollectionName() + " " + request.getFieldName(), out, () -> {
                resolve(request.getCollectionName()).indexedFields.add(request.getFieldName());
                return completed();
            });
        }

        @Override
        public void upsert(Points.UpsertPoints request, StreamObserver<Points.PointsOperationResponse> out) {
            answer("Upsert " + request.getCollectionName() + " " + request.getPointsCount(), out, () -> {
                Collection c = resolve(request.getCollectionName());
                List<Point> points = new ArrayList<>();
                for (Points.PointStruct p : request.getPointsList()) {
                    float[] v = dense(p.getVectors());
                    if (v.length != c.dimension) {
                        throw Status.INVALID_ARGUMENT.withDescription("Wrong input: Vector dimension error: expected dim: "
                                + c.dimension + ", got " + v.length).asRuntimeException();
                    }
                    points.add(new Point(p.getId(), normalise(v), Map.copyOf(p.getPayloadMap())));
                }
                points.forEach(p -> c.points.put(key(p.id()), p));
                upserts.add(request);
                return completed();
            });
        }

        @Override
        public void delete(Points.DeletePoints request, StreamObserver<Points.PointsOperationResponse> out) {
            answer("Delete " + request.getCollectionName(), out, () -> {
                if (request.getPoints().getPointsSelectorOneOfCase() != Points.PointsSelector.PointsSelectorOneOfCase.POINTS) {
                    throw unimplemented("deleting by filter");
                }
                Collection c = resolve(request.getCollectionName());
                request.getPoints().getPoints().getIdsList().forEach(id -> c.points.remove(key(id)));
                return completed();
            });
        }

        @Override
        public void get(Points.GetPoints request, StreamObserver<Points.GetResponse> out) {
            answer("Get " + request.getCollectionName() + " " + request.getIdsCount(), out, () -> {
                Collection c = resolve(request.getCollectionName());
                boolean withVectors = request.getWithVectors().getEnable();
                boolean withPayload = request.getWithPayload().getEnable();
                Points.GetResponse.Builder response = Points.GetResponse.newBuilder();
                for (Common.PointId id : request.getIdsList()) {
                    Point p = c.points.get(key(id));
                    if (p != null) {
                        Points.RetrievedPoint.Builder r = Points.RetrievedPoint.newBuilder().setId(p.id());
                        if (withPayload) {
                            r.putAllPayload(p.payload());
                        }
                        if (withVectors) {
                            r.setVectors(Points.VectorsOutput.newBuilder().setVector(Points.VectorOutput.newBuilder()
                                    .setDense(Points.DenseVector.newBuilder().addAllData(floats(p.vector())))));
                        }
                        response.addResult(r);
                    }
                }
                return response.build();
            });
        }

        @Override
        public void search(Points.SearchPoints request, StreamObserver<Points.SearchResponse> out) {
            answer("Search " + request.getCollectionName() + " " + request.getLimit(), out, () -> {
                Collection c = resolve(request.getCollectionName());
                float[] query = new float[request.getVectorCount()];
                for (int i = 0; i < query.length; i++) {
                    query[i] = request.getVector(i);
                }
                if (query.length != c.dimension) {
                    throw Status.INVALID_ARGUMENT.withDescription("Wrong input: Vector dimension error: expected dim: "
                            + c.dimension + ", got " + query.length).asRuntimeException();
                }
                if (request.hasFilter()) {
                    filters.add(request.getFilter());
                }
                return Points.SearchResponse.newBuilder().addAllResult(nearest(c, normalise(query),
                        request.hasFilter() ? request.getFilter() : null, Set.of(), (int) request.getLimit(),
                        request.getWithPayload().getEnable())).build();
            });
        }

        @Override
        public void recommend(Points.RecommendPoints request, StreamObserver<Points.RecommendResponse> out) {
            answer("Recommend " + request.getCollectionName() + " " + request.getLimit(), out, () -> {
                if (request.hasStrategy() && request.getStrategy() != Points.RecommendStrategy.AverageVector) {
                    throw unimplemented("recommend strategy " + request.getStrategy());
                }
                Collection c = resolve(request.getCollectionName());
                List<float[]> positives = examples(c, request.getPositiveList());
                List<float[]> negatives = examples(c, request.getNegativeList());
                Set<String> examples = new HashSet<>();
                request.getPositiveList().forEach(id -> examples.add(key(id)));
                request.getNegativeList().forEach(id -> examples.add(key(id)));
                if (request.hasFilter()) {
                    filters.add(request.getFilter());
                }
                float[] query = RecommendQuery.averageVector(positives, negatives);
                return Points.RecommendResponse.newBuilder().addAllResult(nearest(c, normalise(query),
                        request.hasFilter() ? request.getFilter() : null, examples, (int) request.getLimit(),
                        request.getWithPayload().getEnable())).build();
            });
        }

        @Override
        public void count(Points.CountPoints request, StreamObserver<Points.CountResponse> out) {
            answer("Count " + request.getCollectionName(), out, () -> {
                Collection c = resolve(request.getCollectionName());
                long count = c.points.values().stream()
                        .filter(p -> !request.hasFilter() || matches(request.getFilter(), p)).count();
                return Points.CountResponse.newBuilder().setResult(Points.CountResult.newBuilder().setCount(count)).build();
            });
        }

        private List<float[]> examples(Collection c, List<Common.PointId> ids) {
            List<float[]> vectors = new ArrayList<>();
            for (Common.PointId id : ids) {
                Point p = c.points.get(key(id));
                if (p == null) {
                    throw Status.NOT_FOUND.withDescription("No point with id " + key(id) + " found").asRuntimeException();
                }
                vectors.add(p.vector());
            }
            return vectors;
        }

        private Points.PointsOperationResponse completed() {
            return Points.PointsOperationResponse.newBuilder().setResult(Points.UpdateResult.newBuilder()
                    .setStatus(Points.UpdateStatus.Completed)).build();
        }
    }

    private final class HealthService extends QdrantGrpc.QdrantImplBase {
        @Override
        public void healthCheck(QdrantOuterClass.HealthCheckRequest request,
                                StreamObserver<QdrantOuterClass.HealthCheckReply> out) {
            answer("HealthCheck", out, () -> QdrantOuterClass.HealthCheckReply.newBuilder()
                    .setTitle("qdrant protocol stand-in (not qdrant)").setVersion("1.18.0").build());
        }
    }

    // ---- evaluation ------------------------------------------------------------

    /**
     * A slow or refusing store, for fault tests: every later call waits {@code delay} first (outside
     * the stand-in's lock, so calls wait side by side), and with {@code refusing} fails UNAVAILABLE.
     */
    public void fault(java.time.Duration delay, boolean refusing) {
        this.delay = delay;
        this.refusing = refusing;
    }

    private volatile java.time.Duration delay = java.time.Duration.ZERO;
    private volatile boolean refusing;

    private <T> void answer(String request, StreamObserver<T> out, Supplier<T> work) {
        if (refusing) {
            out.onError(Status.UNAVAILABLE.withDescription("refused by the test").asRuntimeException());
            return;
        }
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        answerNow(request, out, work);
    }

    private synchronized <T> void answerNow(String request, StreamObserver<T> out, Supplier<T> work) {
        requests.add(request);
        if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            out.onError(injectedFailure.withDescription("injected by the test").asRuntimeException());
            return;
        }
        T response;
        long started = System.nanoTime();
        try {
            response = work.get();
        } catch (io.grpc.StatusRuntimeException e) {
            out.onError(e);
            return;
        } finally {
            serverNanos.addAndGet(System.nanoTime() - started);
        }
        out.onNext(response);
        out.onCompleted();
    }

    private Collection resolve(String name) {
        Collection c = collections.get(aliases.getOrDefault(name, name));
        if (c == null) {
            throw Status.NOT_FOUND.withDescription("Collection `" + name + "` doesn't exist!").asRuntimeException();
        }
        return c;
    }

    private List<Points.ScoredPoint> nearest(Collection c, float[] query, Common.Filter filter, Set<String> excluded,
                                             int limit, boolean withPayload) {
        return c.points.values().stream()
                .filter(p -> !excluded.contains(key(p.id())))
                .filter(p -> filter == null || matches(filter, p))
                .map(p -> {
                    Points.ScoredPoint.Builder s = Points.ScoredPoint.newBuilder().setId(p.id()).setScore(dot(query, p.vector()));
                    if (withPayload) {
                        s.putAllPayload(p.payload());
                    }
                    return s.build();
                })
                .sorted(Comparator.comparingDouble(Points.ScoredPoint::getScore).reversed())
                .limit(limit)
                .toList();
    }

    private static boolean matches(Common.Filter filter, Point p) {
        if (filter.getShouldCount() > 0 || filter.hasMinShould()) {
            throw unimplemented("should / min_should filters");
        }
        return filter.getMustList().stream().allMatch(c -> holds(c, p))
                && filter.getMustNotList().stream().noneMatch(c -> holds(c, p));
    }

    private static boolean holds(Common.Condition condition, Point p) {
        switch (condition.getConditionOneOfCase()) {
            case HAS_ID -> {
                return condition.getHasId().getHasIdList().stream().anyMatch(id -> key(id).equals(key(p.id())));
            }
            case FIELD -> {
                Common.FieldCondition field = condition.getField();
                Value value = p.payload().get(field.getKey());
                List<Value> values = value == null ? List.of()
                        : value.hasListValue() ? value.getListValue().getValuesList() : List.of(value);
                if (field.hasMatch()) {
                    Common.Match match = field.getMatch();
                    return switch (match.getMatchValueCase()) {
                        case KEYWORD -> values.stream().anyMatch(v -> v.hasStringValue() && v.getStringValue().equals(match.getKeyword()));
                        case BOOLEAN -> values.stream().anyMatch(v -> v.hasBoolValue() && v.getBoolValue() == match.getBoolean());
                        default -> throw unimplemented("match " + match.getMatchValueCase());
                    };
                }
                if (field.hasRange()) {
                    Common.Range r = field.getRange();
                    return values.stream().filter(Value::hasDoubleValue).map(Value::getDoubleValue).anyMatch(d ->
                            (!r.hasGte() || d >= r.getGte()) && (!r.hasLte() || d <= r.getLte())
                                    && (!r.hasGt() || d > r.getGt()) && (!r.hasLt() || d < r.getLt()));
                }
                throw unimplemented("field condition on " + field.getKey() + " without match or range");
            }
            default -> throw unimplemented("condition " + condition.getConditionOneOfCase());
        }
    }

    private static io.grpc.StatusRuntimeException unimplemented(String what) {
        return Status.UNIMPLEMENTED.withDescription("the Qdrant stand-in does not model " + what).asRuntimeException();
    }

    private static String key(Common.PointId id) {
        return id.hasUuid() ? id.getUuid() : Long.toString(id.getNum());
    }

    private static float[] dense(Points.Vectors vectors) {
        Points.Vector v = vectors.getVector();
        List<Float> data = v.hasDense() ? v.getDense().getDataList() : v.getDataList();
        float[] out = new float[data.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = data.get(i);
        }
        return out;
    }

    private static float[] normalise(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = norm == 0 ? 0 : (float) (v[i] / norm);
        }
        return out;
    }

    private static float dot(float[] a, float[] b) {
        float sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static List<Float> floats(float[] v) {
        List<Float> list = new ArrayList<>(v.length);
        for (float x : v) {
            list.add(x);
        }
        return list;
    }
}
