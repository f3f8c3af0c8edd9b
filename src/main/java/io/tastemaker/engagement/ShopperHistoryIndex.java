package io.tastemaker.engagement;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tastemaker.db.DatabaseReads;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.recommend.sources.ShopperHistories;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shoppers' recent histories for the request path, in memory, both ways: shopper to products
 * and product to shoppers (newest first). Built from what the taste profiles keep
 * ({@link TasteProfile#recent()}, the last {@link TasteProfile#MAX_RECENT} events), read whole at
 * start and then again only for the shoppers a batch named as changed, erased shoppers dropped
 * ({@link EngagementChanges} calls all three). A request reads only memory: the like-minded source
 * compares hundreds of shoppers per feed, far too many rows to read from PostgreSQL per request.
 * <p>Each entry is immutable and replaced whole, so requests read without locks while the one
 * poller thread writes. About 24 bytes per (shopper, product) pair, both ways, besides the shared
 * id strings: 100,000 shoppers with 20 recent items each hold about 50 MB. At most
 * {@code tastemaker.engagement.like-minded.kept} shoppers are read at start (in id order); shoppers
 * who engage later are added as their batches name them.
 */
@ApplicationScoped
public class ShopperHistoryIndex implements ShopperHistories {

    private static final Logger LOG = Logger.getLogger(ShopperHistoryIndex.class);
    private static final int PAGE = 1_000;

    /** A shopper's recent distinct products, oldest first, with when they last engaged with each (epoch ms). */
    private record History(String[] products, long[] at) {
    }

    /** A product's shoppers, newest first, with when each last engaged with it (epoch ms). */
    private record Engaged(String[] shoppers, long[] at) {
    }

    private final EngagementStore store;
    private final DatabaseReads reads;
    private final int maxShoppers;
    /** What requests read; replaced whole by a full read, so requests never see one half-read. */
    private volatile Kept kept = new Kept();

    ShopperHistoryIndex(EngagementStore store, DatabaseReads reads, EngagementConfig config, MeterRegistry registry) {
        this.store = store;
        this.reads = reads;
        this.maxShoppers = config.likeMinded().kept();
        Gauge.builder("tastemaker.shopper.histories.kept", this, index -> index.kept.byShopper.size())
                .description("Shoppers whose recent histories this process keeps in memory for the like-minded source")
                .register(registry);
    }

    @Override
    public Map<String, Shoppers> shoppersOf(Collection<String> productIds, int perProduct) {
        Map<String, Engaged> byProduct = kept.byProduct;
        Map<String, Shoppers> found = new HashMap<>();
        for (String id : productIds) {
            Engaged engaged = byProduct.get(id);
            if (engaged != null) {
                found.put(id, Shoppers.newestOf(Arrays.asList(engaged.shoppers), perProduct));
            }
        }
        return found;
    }

    @Override
    public Map<String, List<String>> historiesOf(Collection<String> shopperIds) {
        Map<String, History> byShopper = kept.byShopper;
        Map<String, List<String>> found = new HashMap<>();
        for (String id : shopperIds) {
            History history = byShopper.get(id);
            if (history != null) {
                found.put(id, Arrays.asList(history.products));
            }
        }
        return found;
    }

    /**
     * Every shopper's history again, a page at a time in id order, up to {@code maxShoppers},
     * served once whole (poller thread). Changes made meanwhile are read by the next poll.
     */
    void readAll() {
        long began = System.nanoTime();
        Kept fresh = new Kept();
        String after = "";
        while (fresh.byShopper.size() < maxShoppers) {
            String pageAfter = after;
            int limit = Math.min(PAGE, maxShoppers - fresh.byShopper.size());
            Map<String, List<TasteProfile.Recent>> page = reads.read(() -> store.recentEngagementAfter(pageAfter, limit));
            if (page.isEmpty()) {
                break;
            }
            fresh.replace(page, Set.of());
            after = page.keySet().stream().reduce((first, last) -> last).orElseThrow();
        }
        kept = fresh;
        LOG.infof("Shopper histories kept in memory: %d shoppers, %d products, read in %d ms", fresh.byShopper.size(),
                fresh.byProduct.size(), (System.nanoTime() - began) / 1_000_000);
    }

    /** Reads these shoppers' histories again (a batch changed their profiles; poller thread). */
    void changed(Collection<String> shoppers) {
        List<String> all = List.copyOf(shoppers);
        for (int from = 0; from < all.size(); from += PAGE) {
            List<String> page = all.subList(from, Math.min(all.size(), from + PAGE));
            Map<String, List<TasteProfile.Recent>> read = reads.read(() -> store.recentEngagement(page));
            Set<String> gone = new HashSet<>(page);
            gone.removeAll(read.keySet());
            kept.replace(read, gone);
        }
    }

    /** Drops erased shoppers from both directions (poller thread). */
    void forget(Collection<String> shoppers) {
        kept.replace(Map.of(), Set.copyOf(shoppers));
    }

    /** Both directions; entries are replaced, never changed, so requests read them without locks. */
    private static final class Kept {
        final Map<String, History> byShopper = new ConcurrentHashMap<>();
        final Map<String, Engaged> byProduct = new ConcurrentHashMap<>();
        /** One string per product id, shared by every list that names it (poller thread only). */
        final Map<String, String> ids = new HashMap<>();

        /**
         * Puts {@code updated} shoppers' new histories in place of their old ones and removes
         * {@code removed}; each product whose shoppers changed is rebuilt once for the whole call.
         */
        void replace(Map<String, List<TasteProfile.Recent>> updated, Set<String> removed) {
            // per touched product: the shoppers leaving it, and those (re)joining with their time
            Map<String, Set<String>> leaving = new HashMap<>();
            Map<String, Map<String, Long>> joining = new HashMap<>();
            Set<String> shoppers = new HashSet<>(removed);
            shoppers.addAll(updated.keySet());
            for (String shopper : shoppers) {
                History old = byShopper.get(shopper);
                if (old != null) {
                    for (String product : old.products) {
                        leaving.computeIfAbsent(product, k -> new HashSet<>()).add(shopper);
                    }
                }
                History now = removed.contains(shopper) ? null : history(updated.get(shopper));
                if (now == null) {
                    byShopper.remove(shopper);
                    continue;
                }
                byShopper.put(shopper, now);
                for (int i = 0; i < now.products.length; i++) {
                    joining.computeIfAbsent(now.products[i], k -> new HashMap<>()).put(shopper, now.at[i]);
                }
            }
            Set<String> touched = new HashSet<>(leaving.keySet());
            touched.addAll(joining.keySet());
            for (String product : touched) {
                rebuild(product, leaving.getOrDefault(product, Set.of()), joining.getOrDefault(product, Map.of()));
            }
        }

        private void rebuild(String product, Set<String> leaving, Map<String, Long> joining) {
            Engaged old = byProduct.get(product);
            List<Map.Entry<String, Long>> entries = new ArrayList<>(joining.entrySet());
            if (old != null) {
                for (int i = 0; i < old.shoppers.length; i++) {
                    if (!leaving.contains(old.shoppers[i]) && !joining.containsKey(old.shoppers[i])) {
                        entries.add(Map.entry(old.shoppers[i], old.at[i]));
                    }
                }
            }
            if (entries.isEmpty()) {
                byProduct.remove(product);
                return;
            }
            entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            String[] shoppers = new String[entries.size()];
            long[] at = new long[entries.size()];
            for (int i = 0; i < shoppers.length; i++) {
                shoppers[i] = entries.get(i).getKey();
                at[i] = entries.get(i).getValue();
            }
            byProduct.put(product, new Engaged(shoppers, at));
        }

        /** Recent engagement (newest first) as distinct products, oldest first; null when there is none. */
        private History history(List<TasteProfile.Recent> recent) {
            if (recent == null || recent.isEmpty()) {
                return null;
            }
            Map<String, Long> newest = new LinkedHashMap<>();
            for (TasteProfile.Recent r : recent) {
                Instant at = r.occurredAt();
                newest.putIfAbsent(ids.computeIfAbsent(r.productId(), k -> k), at == null ? 0 : at.toEpochMilli());
            }
            int n = newest.size();
            String[] products = new String[n];
            long[] at = new long[n];
            int i = n;
            for (Map.Entry<String, Long> e : newest.entrySet()) {
                products[--i] = e.getKey();
                at[i] = e.getValue();
            }
            return new History(products, at);
        }
    }
}
