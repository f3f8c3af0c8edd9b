package io.tastemaker.demo;

import io.tastemaker.catalog.Product;
import io.tastemaker.engagement.EngagementEvent;
import io.tastemaker.engagement.EventType;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Demo engagement: a few named shoppers with distinct tastes (so their feeds visibly differ) and
 * a crowd of background shoppers (so trending and co-engagement have something to show), over
 * the last two weeks. The same events for the same catalog, seed and clock.
 */
public final class DemoEngagement {

    /** A named demo shopper and the leaf categories they shop. */
    public record Persona(String userId, String taste, List<String> categories, String board) {
    }

    public static final List<Persona> PERSONAS = List.of(
            new Persona("demo-maya", "a cozy reading nook", List.of("Armchairs", "Floor Lamps", "Bookshelves",
                    "Throw Pillows", "Scented Candles"), "reading-nook"),
            new Persona("demo-leo", "the home barista and cook", List.of("Coffee Makers", "Skillets", "Mugs"), "kitchen"),
            new Persona("demo-ava", "the outdoors and yoga", List.of("Tents", "Yoga Mats", "Backpacks", "Boots"), "trail"),
            new Persona("demo-sam", "music and desk set-ups", List.of("Headphones", "Bluetooth Speakers", "Notebooks",
                    "Table Lamps"), "desk"),
            new Persona("demo-zoe", "fashion and skincare", List.of("Dresses", "Sneakers", "Necklaces", "Moisturizers"),
                    "outfits"));

    static final int BACKGROUND_SHOPPERS = 60;
    /** Demo shoppers engage with the catalog's first products only: those are embedded first. */
    public static final int ENGAGED_PRODUCTS = 1200;

    private DemoEngagement() {
    }

    /** The products the demo engagement refers to. */
    public static List<Product> engagedProducts(List<Product> catalog) {
        return catalog.subList(0, Math.min(ENGAGED_PRODUCTS, catalog.size()));
    }

    public static List<EngagementEvent> generate(List<Product> catalog, Instant now, long seed) {
        Random random = new Random(seed);
        List<Product> products = engagedProducts(catalog);
        Instant start = now.minus(Duration.ofDays(14)).truncatedTo(ChronoUnit.SECONDS);
        List<EngagementEvent> events = new ArrayList<>();
        for (Persona persona : PERSONAS) {
            List<Product> liked = inCategories(products, persona.categories()::contains);
            List<Product> disliked = inCategories(products, leaf -> !persona.categories().contains(leaf));
            shop(random, events, persona.userId(), persona.board(), liked, disliked, start, 8);
        }
        List<String> leaves = products.stream().map(DemoEngagement::leaf).distinct().sorted().toList();
        for (int i = 1; i <= BACKGROUND_SHOPPERS; i++) {
            // background shoppers like two categories each, popular ones more often
            List<String> taste = List.of(leaves.get(skewed(random, leaves.size())), leaves.get(random.nextInt(leaves.size())));
            List<Product> liked = inCategories(products, taste::contains);
            shop(random, events, String.format("demo-shopper-%02d", i), null, liked, List.of(), start, 2 + random.nextInt(3));
        }
        events.sort(Comparator.comparing(EngagementEvent::occurredAt));
        return events;
    }

    /** Sessions of 3-8 engagements with liked products (some found by a search), a few hides of disliked ones. */
    private static void shop(Random random, List<EngagementEvent> events, String user, String board, List<Product> liked,
                             List<Product> disliked, Instant start, int sessions) {
        if (liked.isEmpty()) {
            return;
        }
        int n = 0;
        for (int s = 0; s < sessions; s++) {
            Instant at = start.plus(Duration.ofMinutes(random.nextInt(14 * 24 * 60)));
            String session = user + "-s" + s;
            int length = 3 + random.nextInt(6);
            for (int e = 0; e < length; e++) {
                // favourites come back: a third of the time from the first dozen liked products
                Product p = liked.get(random.nextInt(3) == 0 ? random.nextInt(Math.min(12, liked.size()))
                        : random.nextInt(liked.size()));
                EventType type = type(random);
                // every third session starts from a search for the product's kind (no draw from
                // the random stream, so the demo's engagement is what it always was)
                String query = e == 0 && s % 3 == 0 ? leaf(p).toLowerCase(java.util.Locale.ROOT) : null;
                events.add(new EngagementEvent(user + "-" + (++n), type, user, p.id(), session,
                        type == EventType.PIN ? board : null, query, at));
                at = at.plusSeconds(20 + random.nextInt(300));
            }
            if (!disliked.isEmpty() && random.nextInt(4) == 0) {
                Product p = disliked.get(random.nextInt(disliked.size()));
                events.add(new EngagementEvent(user + "-" + (++n), EventType.HIDE, user, p.id(), session, null, at));
            }
        }
    }

    private static EventType type(Random random) {
        int r = random.nextInt(100);
        if (r < 35) {
            return EventType.VIEW;
        } else if (r < 65) {
            return EventType.CLICK;
        } else if (r < 88) {
            return EventType.PIN;
        } else if (r < 96) {
            return EventType.ADD_TO_CART;
        }
        return EventType.PURCHASE;
    }

    private static int skewed(Random random, int size) {
        return (int) Math.min(size - 1, Math.floor(Math.pow(random.nextDouble(), 2) * size));
    }

    private static List<Product> inCategories(List<Product> products, Predicate<String> leaf) {
        return products.stream().filter(p -> leaf.test(leaf(p))).toList();
    }

    private static String leaf(Product p) {
        return p.categoryPath().get(p.categoryPath().size() - 1);
    }

    /** For the README and the log: who the demo shoppers are. */
    public static Map<String, String> tastes() {
        return PERSONAS.stream().collect(java.util.stream.Collectors.toMap(Persona::userId, Persona::taste));
    }
}
