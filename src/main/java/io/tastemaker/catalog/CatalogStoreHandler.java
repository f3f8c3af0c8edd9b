package io.tastemaker.catalog;

import io.tastemaker.streams.BatchHandler;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies catalog records to PostgreSQL. A record that breaks the catalog contract, or that the
 * database refuses for its data, is rejected with its reason (it goes to the dead-letter topic);
 * its neighbours are applied as usual. Any other failure (database down...) fails the batch,
 * which is then delivered again.
 */
@ApplicationScoped
public class CatalogStoreHandler implements BatchHandler {

    private static final Logger LOG = Logger.getLogger(CatalogStoreHandler.class);

    private final CatalogCodec codec;
    private final CatalogStore store;

    CatalogStoreHandler(CatalogCodec codec, CatalogStore store) {
        this.codec = codec;
        this.store = store;
    }

    @Override
    public List<Rejected> handle(List<ConsumerRecord<String, String>> batch) {
        CatalogCodec.DecodedBatch decoded = codec.decodeAll(batch);
        List<CatalogChange> changes = decoded.changes();
        List<Rejected> rejected = new ArrayList<>(decoded.rejected());
        try {
            store.applyBlocking(changes);
        } catch (RuntimeException e) {
            if (dataError(e) == null) {
                throw e;
            }
            LOG.warnf("the database refused a record of a batch of %d; applying them one by one", changes.size());
            for (int i = 0; i < changes.size(); i++) {
                try {
                    store.applyBlocking(List.of(changes.get(i)));
                } catch (RuntimeException single) {
                    SQLException refused = dataError(single);
                    if (refused == null) {
                        throw single;
                    }
                    rejected.add(new Rejected(decoded.records().get(i), "the database refused it: " + refused.getMessage()));
                }
            }
        }
        return rejected;
    }

    /**
     * The database's complaint about the data itself (SQLSTATE class 22, data exception, or 23,
     * integrity constraint violation), or null when the failure is not the record's fault.
     */
    static SQLException dataError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return sql;
            }
        }
        return null;
    }
}
