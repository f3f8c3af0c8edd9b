package io.tastemaker.catalog;

import io.tastemaker.api.InvalidInputException;
import io.tastemaker.streams.BatchHandler;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies catalog records to PostgreSQL. A record that breaks the catalog contract is rejected
 * with its reason (it goes to the dead-letter topic); its neighbours are applied as usual.
 */
@ApplicationScoped
public class CatalogStoreHandler implements BatchHandler {

    private final CatalogCodec codec;
    private final CatalogStore store;

    CatalogStoreHandler(CatalogCodec codec, CatalogStore store) {
        this.codec = codec;
        this.store = store;
    }

    @Override
    public List<Rejected> handle(List<ConsumerRecord<String, String>> batch) {
        List<CatalogChange> changes = new ArrayList<>(batch.size());
        List<Rejected> rejected = new ArrayList<>();
        for (ConsumerRecord<String, String> record : batch) {
            try {
                changes.add(codec.decode(record.key(), record.value()));
            } catch (InvalidInputException e) {
                rejected.add(new Rejected(record, e.getMessage()));
            }
        }
        store.applyBlocking(changes);
        return rejected;
    }
}
