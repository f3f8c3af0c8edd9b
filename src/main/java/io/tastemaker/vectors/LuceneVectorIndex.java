package io.tastemaker.vectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded {@link VectorIndex}: a Lucene index on disk with an HNSW graph over the vectors
 * and indexed payload fields, so filters apply during the graph search (Lucene switches to an
 * exact scan when a filter is too selective for the graph, so filtered results stay complete).
 */
public final class LuceneVectorIndex implements VectorIndex {

    private static final String ID = "id";
    private static final String VECTOR = "vector";
    private static final String PAYLOAD = "payload";
    private static final String CATEGORY = "category";
    private static final String BRAND = "brand";
    private static final String TAG = "tag";
    private static final String PRICE = "price";
    private static final String IN_STOCK = "in_stock";
    private static final Set<String> RESULT_FIELDS = Set.of(ID, PAYLOAD);

    /**
     * Decoded documents by segment and document number. A blended list reads the same hot
     * products several times per request (every source's hits, then the ranking's look-up), and
     * decompressing stored fields and parsing the payload dominated its cost. A segment never
     * changes, so an entry can never be stale: updates and deletes land in other segments or
     * hide the document, and entries of merged-away segments simply age out. As many as the
     * records by id: both hold the same decoded objects, so the second costs only its entries, and
     * a feed's taste search over 100,000 products missed half of a smaller one (stored-field
     * decompression was a tenth of a feed).
     */
    private static final int DECODED_CACHE_SIZE = 100_000;

    private record DocKey(Object segment, int doc) {
    }

    /**
     * Records by id, for {@link #get}: every list looks up all its candidates (a few hundred) and
     * the anchors, and finding them through the id terms cost a quarter of a feed's CPU. An entry
     * is dropped when its id is written; a look-up that overlapped a write keeps nothing (see
     * {@link #writes}), so no entry outlives the document it was read from.
     */
    private static final int BY_ID_CACHE_SIZE = 100_000;

    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final ObjectMapper json = new ObjectMapper();
    private final Cache<DocKey, VectorRecord> decoded = Caffeine.newBuilder().maximumSize(DECODED_CACHE_SIZE).build();
    private final Cache<String, VectorRecord> byId = Caffeine.newBuilder().maximumSize(BY_ID_CACHE_SIZE).build();
    /** Counts published writes; a look-up caches what it read only if none was published meanwhile. */
    private final AtomicLong writes = new AtomicLong();

    private LuceneVectorIndex(FSDirectory directory, IndexWriter writer, SegmentMerges.Visible merges) throws IOException {
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
        merges.afterEach(() -> {
            try {
                searchers.maybeRefresh();
            } catch (IOException | AlreadyClosedException e) {
                // closing, or the next write's publish shows the merged segment
            }
        });
        writer.maybeMerge(); // an index written under another policy is merged down in the background
    }

    public static LuceneVectorIndex open(Path dir) {
        try {
            Files.createDirectories(dir);
            FSDirectory directory = FSDirectory.open(dir);
            SegmentMerges.Visible merges = new SegmentMerges.Visible();
            IndexWriterConfig config = new IndexWriterConfig()
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(64)
                    .setMergePolicy(SegmentMerges.fewSegments())
                    .setMergeScheduler(merges);
            return new LuceneVectorIndex(directory, new IndexWriter(directory, config), merges);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the vector index in " + dir, e);
        }
    }

    /** Merges the index into one segment: after a bulk load, so every search walks one graph. */
    @Override
    public void compact() {
        try {
            writer.forceMerge(1);
            publish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void upsert(List<VectorRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            for (VectorRecord record : records) {
                writer.updateDocument(new Term(ID, record.id()), toDocument(record));
            }
            publish();
            forget(records.stream().map(VectorRecord::id).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try {
            writer.deleteDocuments(ids.stream().map(id -> new Term(ID, id)).toArray(Term[]::new));
            publish();
            forget(ids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<VectorHit> search(float[] query, VectorFilter filter, int limit) {
        // Excluding a few ids ("not the product itself") needs no filter: asking for that many more
        // neighbours and dropping them is exact, and spares building a filter over every document.
        boolean excludeAfterwards = !filter.excludeIds().isEmpty() && !filter.restrictsPayload();
        Query restriction = excludeAfterwards ? null : toQuery(filter);
        int k = excludeAfterwards ? limit + filter.excludeIds().size() : limit;
        return withSearcher(searcher -> {
            TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query, k, restriction), k);
            List<VectorHit> hits = new ArrayList<>(Math.min(limit, top.scoreDocs.length));
            for (ScoreDoc doc : top.scoreDocs) {
                VectorRecord record = decode(searcher, doc.doc);
                if (hits.size() < limit && !(excludeAfterwards && filter.excludeIds().contains(record.id()))) {
                    // Lucene scores cosine as (1 + cos) / 2; callers get the cosine itself
                    hits.add(new VectorHit(record.id(), 2.0 * doc.score - 1.0, record.payload()));
                }
            }
            return hits;
        });
    }

    @Override
    public List<VectorHit> recommend(Collection<String> positiveIds, Collection<String> negativeIds,
                                     VectorFilter filter, int limit) {
        Map<String, VectorRecord> examples = get(RecommendQuery.examples(positiveIds, negativeIds));
        List<float[]> positives = vectorsOf(positiveIds, examples);
        if (positives.isEmpty()) {
            return List.of();
        }
        float[] query = RecommendQuery.averageVector(positives, vectorsOf(negativeIds, examples));
        return search(query, filter.excluding(RecommendQuery.examples(filter.excludeIds(), RecommendQuery.examples(positiveIds, negativeIds))), limit);
    }

    private static List<float[]> vectorsOf(Collection<String> ids, Map<String, VectorRecord> records) {
        return ids.stream().map(records::get).filter(java.util.Objects::nonNull).map(VectorRecord::vector).toList();
    }

    @Override
    public Map<String, VectorRecord> get(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<String, VectorRecord> found = new HashMap<>();
        Set<BytesRef> missing = new java.util.HashSet<>(); // callers may name an id twice
        for (String id : ids) {
            VectorRecord known = byId.policy().getIfPresentQuietly(id);
            if (known != null) {
                found.put(id, known);
            } else {
                missing.add(new BytesRef(id));
            }
        }
        if (missing.isEmpty()) {
            return found;
        }
        long writesBefore = writes.get();
        Map<String, VectorRecord> read = withSearcher(searcher -> {
            TopDocs top = searcher.search(new TermInSetQuery(ID, missing), missing.size());
            Map<String, VectorRecord> records = new HashMap<>();
            for (ScoreDoc doc : top.scoreDocs) {
                VectorRecord record = decode(searcher, doc.doc);
                records.put(record.id(), record);
            }
            return records;
        });
        found.putAll(read);
        if (writes.get() == writesBefore) {
            byId.putAll(read);
            if (writes.get() != writesBefore) { // a write published while we cached: it may be one of these
                byId.invalidateAll(read.keySet());
            }
        }
        return found;
    }

    @Override
    public long count() {
        return withSearcher(searcher -> (long) searcher.getIndexReader().numDocs());
    }

    /** This process holds the directory's write lock: no other process can write it. */
    @Override
    public boolean writtenOnlyHere() {
        return true;
    }

    /** The id terms in order (Lucene keeps a field's terms sorted), each once if a live document has it. */
    @Override
    public Optional<List<String>> idsAfter(String afterId, int limit) {
        return Optional.of(withSearcher(searcher -> {
            IndexReader reader = searcher.getIndexReader();
            List<String> ids = new ArrayList<>(limit);
            Terms terms = MultiTerms.getTerms(reader, ID);
            if (terms == null) {
                return ids;
            }
            Bits live = MultiBits.getLiveDocs(reader); // null: no deletions
            TermsEnum it = terms.iterator();
            BytesRef term;
            if (afterId == null) {
                term = it.next();
            } else {
                TermsEnum.SeekStatus status = it.seekCeil(new BytesRef(afterId));
                term = status == TermsEnum.SeekStatus.END ? null
                        : status == TermsEnum.SeekStatus.FOUND ? it.next() : it.term();
            }
            PostingsEnum docs = null;
            for (; term != null && ids.size() < limit; term = it.next()) {
                docs = it.postings(docs, PostingsEnum.NONE);
                for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        ids.add(term.utf8ToString());
                        break;
                    }
                }
            }
            return ids;
        }));
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** After a write is published: the next look-up of these ids reads the index. */
    private void forget(Collection<String> ids) {
        writes.incrementAndGet();
        byId.invalidateAll(ids);
    }

    /** Makes the last writes durable (fsync) and visible to the next searches. */
    private synchronized void publish() throws IOException {
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    private Document toDocument(VectorRecord record) throws JsonProcessingException {
        ProductPayload p = record.payload();
        Document doc = new Document();
        doc.add(new StringField(ID, record.id(), Field.Store.YES));
        doc.add(new KnnFloatVectorField(VECTOR, record.vector(), VectorSimilarityFunction.COSINE));
        doc.add(new StoredField(PAYLOAD, json.writeValueAsString(p)));
        for (String key : p.categoryKeys()) {
            doc.add(new StringField(CATEGORY, key, Field.Store.NO));
        }
        if (p.brand() != null) {
            doc.add(new StringField(BRAND, ProductPayload.normalize(p.brand()), Field.Store.NO));
        }
        for (String tag : p.tags()) {
            doc.add(new StringField(TAG, ProductPayload.normalize(tag), Field.Store.NO));
        }
        doc.add(new DoublePoint(PRICE, p.price().doubleValue()));
        doc.add(new StringField(IN_STOCK, Boolean.toString(p.inStock()), Field.Store.NO));
        return doc;
    }

    /** The filter as a Lucene query, or null when it restricts nothing. */
    static Query toQuery(VectorFilter f) {
        BooleanQuery.Builder q = new BooleanQuery.Builder();
        boolean restricted = false;
        if (f.category() != null) {
            q.add(new TermQuery(new Term(CATEGORY, ProductPayload.normalize(f.category()))), Occur.FILTER);
            restricted = true;
        }
        if (f.brand() != null) {
            q.add(new TermQuery(new Term(BRAND, ProductPayload.normalize(f.brand()))), Occur.FILTER);
            restricted = true;
        }
        if (f.minPrice() != null || f.maxPrice() != null) {
            double min = f.minPrice() == null ? Double.NEGATIVE_INFINITY : f.minPrice().doubleValue();
            double max = f.maxPrice() == null ? Double.POSITIVE_INFINITY : f.maxPrice().doubleValue();
            q.add(DoublePoint.newRangeQuery(PRICE, min, max), Occur.FILTER);
            restricted = true;
        }
        if (f.inStock() != null) {
            q.add(new TermQuery(new Term(IN_STOCK, f.inStock().toString())), Occur.FILTER);
            restricted = true;
        }
        if (!f.excludeIds().isEmpty()) {
            if (!restricted) {
                q.add(new MatchAllDocsQuery(), Occur.FILTER);
            }
            q.add(new TermInSetQuery(ID, f.excludeIds().stream().map(BytesRef::new).toList()), Occur.MUST_NOT);
            restricted = true;
        }
        return restricted ? q.build() : null;
    }

    private ProductPayload readPayload(Document d) {
        try {
            return json.readValue(d.get(PAYLOAD), ProductPayload.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A document's id, vector and payload; from the cache when its segment's copy was decoded before. */
    private VectorRecord decode(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        IndexReader.CacheHelper segment = leaf.reader().getCoreCacheHelper();
        if (segment == null) {
            return read(searcher, leaves, doc);
        }
        DocKey key = new DocKey(segment.getKey(), doc - leaf.docBase);
        VectorRecord cached = decoded.policy().getIfPresentQuietly(key);
        if (cached == null) {
            cached = read(searcher, leaves, doc);
            decoded.put(key, cached);
        }
        return cached;
    }

    private VectorRecord read(IndexSearcher searcher, List<LeafReaderContext> leaves, int doc) throws IOException {
        Document d = searcher.storedFields().document(doc, RESULT_FIELDS);
        return new VectorRecord(d.get(ID), vectorOf(leaves, doc), readPayload(d));
    }

    /** The indexed vector of a document, read from its segment's vector values. */
    private static float[] vectorOf(List<LeafReaderContext> leaves, int doc) throws IOException {
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
        int local = doc - leaf.docBase;
        if (values == null || values.advance(local) != local) {
            throw new IllegalStateException("document " + doc + " has no vector");
        }
        return values.vectorValue().clone();
    }

    private <T> T withSearcher(SearcherWork<T> work) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return work.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface SearcherWork<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }
}
