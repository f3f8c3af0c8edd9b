package io.tastemaker.demo;

import io.tastemaker.catalog.Product;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates the demo catalog: realistic products over many categories, the same every time for
 * the same seed and size, so demos, curl examples and benchmarks are reproducible.
 */
public final class DemoCatalog {

    /** One kind of product and the vocabulary its titles and descriptions are made of. */
    record Kind(List<String> path, List<String> nouns, List<String> styles, List<String> materials,
                List<String> features, List<String> brands, int minPrice, int maxPrice) {
    }

    private static final List<String> COLORS = List.of("Black", "White", "Sage Green", "Terracotta", "Navy",
            "Oatmeal", "Charcoal", "Mustard", "Blush Pink", "Forest Green", "Sand", "Slate Blue", "Ivory", "Rust");

    static final List<Kind> KINDS = List.of(
            kind("Home > Lighting > Table Lamps", "Table Lamp|Bedside Lamp|Desk Lamp",
                    "Mid-Century|Scandinavian|Industrial|Art Deco|Minimalist",
                    "Walnut|Brass|Ceramic|Rattan|Frosted Glass", "a dimmable warm-white bulb|a linen drum shade|a weighted base that will not tip|a USB charging port in the base",
                    "Lumenhaus|Nordlys|Brightwell & Co|Atelier Ostra", 29, 249),
            kind("Home > Lighting > Floor Lamps", "Floor Lamp|Arc Lamp|Reading Lamp|Tripod Lamp",
                    "Mid-Century|Industrial|Japandi|Modern|Bohemian", "Brass|Matte Steel|Oak|Bamboo|Marble",
                    "an adjustable reading arm|a foot dimmer switch|a soft diffused glow for reading nooks|a marble base",
                    "Lumenhaus|Nordlys|Brightwell & Co", 59, 399),
            kind("Home > Furniture > Sofas", "Sofa|Loveseat|Sectional Sofa|Sleeper Sofa",
                    "Mid-Century|Cloud-Style|Chesterfield|Modern|Coastal", "Velvet|Boucle|Linen Blend|Performance Fabric|Leather",
                    "deep seats filled with feather-wrapped foam|removable, washable covers|kiln-dried hardwood frame|tool-free assembly",
                    "Hearth & Haven|Oakridge Home|Maison Lune|Fjord Living", 399, 2499),
            kind("Home > Furniture > Armchairs", "Armchair|Accent Chair|Reading Chair|Swivel Chair",
                    "Mid-Century|Scandinavian|Bohemian|Modern|Wingback", "Boucle|Velvet|Rattan|Leather|Linen",
                    "a high back made for long reads|solid oak legs|a matching ottoman option|a 360-degree swivel base",
                    "Hearth & Haven|Oakridge Home|Maison Lune|Fjord Living", 149, 899),
            kind("Home > Furniture > Bookshelves", "Bookshelf|Bookcase|Ladder Shelf|Cube Storage Shelf",
                    "Industrial|Scandinavian|Modern|Farmhouse|Minimalist", "Oak|Walnut Veneer|Pine|Metal and Wood|Bamboo",
                    "five adjustable shelves|wall anchoring hardware included|room for over 200 books|an open back that keeps small rooms airy",
                    "Oakridge Home|Fjord Living|Woodward Studio", 69, 599),
            kind("Home > Furniture > Coffee Tables", "Coffee Table|Nesting Tables|Lift-Top Coffee Table|Side Table",
                    "Mid-Century|Industrial|Coastal|Modern|Rustic", "Oak|Marble|Travertine|Glass|Reclaimed Wood",
                    "a hidden storage shelf|rounded corners safe for kids|a lift top that doubles as a desk|a stain-resistant finish",
                    "Oakridge Home|Woodward Studio|Maison Lune", 79, 899),
            kind("Home > Decor > Rugs", "Area Rug|Runner Rug|Round Rug|Washable Rug",
                    "Moroccan|Persian-Style|Abstract|Geometric|Vintage", "Wool|Jute|Cotton|Polypropylene|Sisal",
                    "a low pile that slides under doors|a non-slip backing|machine-washable fibres|hand-knotted construction",
                    "Loom & Lane|Casbah Weavers|Threadline", 39, 799),
            kind("Home > Decor > Throw Pillows", "Throw Pillow|Lumbar Pillow|Pillow Cover Set|Floor Cushion",
                    "Bohemian|Chunky Knit|Tufted|Embroidered|Minimalist", "Linen|Velvet|Cotton|Boucle|Wool",
                    "a hidden zip closure|a down-alternative insert|two-sided pattern|fade-resistant dyes",
                    "Loom & Lane|Threadline|Maison Lune", 15, 89),
            kind("Home > Decor > Wall Art", "Framed Print|Canvas Art|Wall Mirror|Tapestry",
                    "Botanical|Abstract|Coastal|Vintage Map|Line Art", "Oak Frame|Black Metal Frame|Canvas|Cotton|Glass",
                    "museum-quality archival inks|ready-to-hang hardware|a gallery-wrapped edge|a set of three coordinated pieces",
                    "Gallery North|Printhaus|Atelier Ostra", 25, 349),
            kind("Home > Bedding > Duvet Covers", "Duvet Cover Set|Quilt Set|Comforter|Sheet Set",
                    "Stonewashed|Waffle Weave|Percale|Sateen|Striped", "Linen|Organic Cotton|Bamboo Lyocell|Percale Cotton|Flannel",
                    "corner ties that keep the duvet in place|a breathable weave for hot sleepers|two matching pillow shams|OEKO-TEX certified fabric",
                    "Slumberline|Hearth & Haven|Threadline", 49, 329),
            kind("Home > Fragrance > Scented Candles", "Scented Candle|Three-Wick Candle|Candle Gift Set|Reed Diffuser",
                    "Cedar & Sage|Vanilla Bourbon|Sea Salt|Fig & Cassis|Amber Woods", "Soy Wax|Coconut Wax|Beeswax|Glass Jar|Ceramic Vessel",
                    "a 60-hour burn time|a cotton wick that burns clean|a reusable vessel|phthalate-free fragrance oils",
                    "Wick & Willow|Ember Row|Atelier Ostra", 14, 79),
            kind("Kitchen > Cookware > Skillets", "Skillet|Frying Pan|Dutch Oven|Saute Pan",
                    "Pre-Seasoned|Nonstick|Tri-Ply|Enameled|Professional", "Cast Iron|Carbon Steel|Stainless Steel|Ceramic|Copper",
                    "oven-safe to 260 C|an induction-ready base|a stay-cool handle|even heat for a perfect sear",
                    "Forge & Flame|Copperline|Castell Kitchen", 24, 349),
            kind("Kitchen > Coffee > Coffee Makers", "Pour-Over Coffee Maker|French Press|Espresso Machine|Cold Brew Maker|Burr Grinder",
                    "Barista|Compact|Programmable|Manual|Retro", "Borosilicate Glass|Stainless Steel|Ceramic|Copper|Matte Black Steel",
                    "a built-in milk frother|a thermal carafe that keeps coffee hot|fifteen grind settings|a reusable mesh filter",
                    "Morning Ritual|Brewcraft|Castell Kitchen", 19, 899),
            kind("Kitchen > Tableware > Mugs", "Mug Set|Coffee Mug|Travel Mug|Tea Cup Set",
                    "Speckled|Hand-Thrown|Insulated|Glazed|Minimalist", "Stoneware|Porcelain|Double-Wall Glass|Stainless Steel|Bone China",
                    "a comfortable wide handle|dishwasher- and microwave-safe glaze|a leak-proof lid|a 350 ml capacity",
                    "Kiln & Co|Morning Ritual|Castell Kitchen", 12, 89),
            kind("Women > Clothing > Dresses", "Midi Dress|Wrap Dress|Maxi Dress|Slip Dress|Shirt Dress",
                    "Floral|Tiered|Smocked|Relaxed|Pleated", "Linen|Silk|Organic Cotton|Satin|Jersey",
                    "adjustable straps|hidden side pockets|a breathable lining|a flattering A-line cut",
                    "Solenne|Wildflower & Co|Atelier Mira|Northbound", 39, 289),
            kind("Women > Shoes > Sneakers", "Running Sneaker|Platform Sneaker|Slip-On Sneaker|Court Sneaker",
                    "Retro|Lightweight|Everyday|Chunky|Minimalist", "Leather|Knit Mesh|Suede|Canvas|Recycled Polyester",
                    "a cushioned memory-foam insole|a grippy rubber outsole|a padded heel collar|a breathable knit upper",
                    "Stridewell|Northbound|Pace & Co", 49, 189),
            kind("Men > Clothing > Jackets", "Field Jacket|Puffer Jacket|Denim Jacket|Rain Jacket|Chore Coat",
                    "Waxed|Quilted|Packable|Classic|Insulated", "Waxed Cotton|Recycled Nylon|Denim|Wool Blend|Gore-Tex Shell",
                    "a water-repellent finish|four roomy pockets|a detachable hood|a warm fleece lining",
                    "Northbound|Ridgeway Supply|Harbor & Pine", 69, 459),
            kind("Men > Shoes > Boots", "Chelsea Boot|Hiking Boot|Work Boot|Chukka Boot",
                    "Classic|Waterproof|Rugged|Heritage|Lightweight", "Full-Grain Leather|Suede|Nubuck|Waxed Leather|Rubber",
                    "a Goodyear-welted sole that can be resoled|a waterproof membrane|a cushioned footbed|elastic side panels for easy wear",
                    "Ridgeway Supply|Harbor & Pine|Stridewell", 89, 399),
            kind("Accessories > Bags > Backpacks", "Backpack|Laptop Backpack|Rolltop Backpack|Daypack",
                    "Commuter|Minimalist|Travel|Water-Resistant|Vintage", "Waxed Canvas|Recycled Nylon|Leather|Cordura|Cotton Canvas",
                    "a padded 16-inch laptop sleeve|a luggage pass-through strap|a hidden anti-theft pocket|a 24-litre capacity",
                    "Harbor & Pine|Ridgeway Supply|Atlas Carry", 39, 299),
            kind("Accessories > Jewelry > Necklaces", "Pendant Necklace|Chain Necklace|Layered Necklace|Choker",
                    "Dainty|Statement|Vintage|Minimalist|Celestial", "Sterling Silver|14k Gold Vermeil|Freshwater Pearl|Gold-Filled|Rose Gold",
                    "an adjustable 16 to 18 inch chain|hypoallergenic, nickel-free metal|a gift-ready box|hand-finished details",
                    "Solenne|Luna & Ash|Atelier Mira", 25, 399),
            kind("Beauty > Skincare > Moisturizers", "Moisturizer|Night Cream|Face Oil|Gel Cream|Eye Cream",
                    "Hydrating|Fragrance-Free|Brightening|Barrier-Repair|Lightweight", "Hyaluronic Acid|Ceramide|Squalane|Niacinamide|Vitamin C",
                    "a non-comedogenic formula|dermatologist-tested gentleness for sensitive skin|a recyclable glass jar|24-hour hydration",
                    "Dewpoint|Botanica Lab|Pure Ritual", 14, 119),
            kind("Electronics > Audio > Headphones", "Wireless Headphones|Noise-Cancelling Headphones|Earbuds|Studio Headphones",
                    "Over-Ear|Foldable|Sport|Premium|Compact", "Aluminium|Memory Foam|Vegan Leather|Matte Plastic|Walnut",
                    "active noise cancelling|a 40-hour battery|multipoint Bluetooth 5.3|a detachable boom microphone",
                    "Sonora|Auralis|Pulsewave", 29, 449),
            kind("Electronics > Audio > Bluetooth Speakers", "Bluetooth Speaker|Smart Speaker|Portable Speaker|Bookshelf Speakers",
                    "Waterproof|Compact|Retro|Outdoor|Hi-Fi", "Fabric-Wrapped|Walnut|Aluminium|Rubberised|Bamboo",
                    "IP67 waterproofing|a 20-hour battery|stereo pairing for two speakers|room-filling 360-degree sound",
                    "Sonora|Auralis|Pulsewave", 29, 499),
            kind("Sports > Yoga > Yoga Mats", "Yoga Mat|Yoga Block Set|Yoga Strap|Meditation Cushion",
                    "Non-Slip|Extra-Thick|Travel|Eco-Friendly|Alignment", "Natural Rubber|Cork|TPE|Organic Cotton|Jute",
                    "alignment lines printed on top|a carrying strap|a 6 mm cushioned layer|a sweat-resistant grip",
                    "Flowstate|Mantra Studio|Pace & Co", 15, 149),
            kind("Outdoor > Camping > Tents", "Backpacking Tent|Family Tent|Camping Hammock|Sleeping Bag",
                    "Ultralight|Four-Season|Pop-Up|Waterproof|Two-Person", "Ripstop Nylon|Polyester|Down Fill|Synthetic Fill|Aluminium Poles",
                    "set-up in under five minutes|a rain fly with taped seams|a packed weight under 2 kg|two vestibules for gear",
                    "Ridgeway Supply|Trailhead Gear|Atlas Carry", 39, 699),
            kind("Garden > Planters > Indoor Planters", "Planter|Hanging Planter|Plant Stand|Self-Watering Pot",
                    "Modern|Terracotta-Style|Speckled|Geometric|Mid-Century", "Ceramic|Terracotta|Concrete|Rattan|Powder-Coated Steel",
                    "a drainage hole with a saucer|a self-watering reservoir|a wooden stand included|frost-resistant glaze",
                    "Greenhaus|Terra & Fern|Kiln & Co", 12, 179),
            kind("Kids > Toys > Building Sets", "Building Block Set|Magnetic Tiles|Marble Run|Wooden Train Set",
                    "STEM|Creative|Classic|Deluxe|Starter", "Beech Wood|ABS Plastic|Magnetic Plastic|Bamboo|Recycled Plastic",
                    "over 100 pieces|a storage bin included|pieces sized safely for ages 3 and up|an idea booklet with 20 builds",
                    "Tinker Tots|Little Makers|Brightwell & Co", 19, 149),
            kind("Stationery > Paper > Notebooks", "Dotted Notebook|Planner|Sketchbook|Journal",
                    "Hardcover|Linen-Bound|Undated|Pocket|Premium", "Recycled Paper|120 gsm Paper|Vegan Leather|Cloth|Kraft Paper",
                    "lay-flat binding|numbered pages with an index|an elastic closure and ribbon marker|fountain-pen friendly paper",
                    "Inkwell Press|Paperfolk|Printhaus", 9, 59));

    private DemoCatalog() {
    }

    /** {@code count} products, identical for identical arguments. */
    public static List<Product> generate(int count, long seed) {
        Random random = new Random(seed);
        Instant updatedAt = Instant.parse("2026-11-01T09:00:00Z");
        List<Product> products = new ArrayList<>(count);
        Set<String> titles = new LinkedHashSet<>();
        for (int i = 0; products.size() < count; i++) {
            Kind kind = KINDS.get(i % KINDS.size());
            String brand = pick(random, kind.brands);
            String style = pick(random, kind.styles);
            String material = pick(random, kind.materials);
            String noun = pick(random, kind.nouns);
            String color = pick(random, COLORS);
            String title = brand + " " + style + " " + material + " " + noun;
            if (!titles.add(title)) {
                title = title + " in " + color;
                if (!titles.add(title)) {
                    continue;
                }
            }
            String feature = pick(random, kind.features);
            String otherFeature = pick(random, kind.features);
            String id = String.format("demo-%05d", products.size() + 1);
            products.add(new Product(id, title, description(random, kind, style, material, noun, color, feature, otherFeature),
                    brand, List.of(kind.path.get(0), kind.path.get(1), kind.path.get(2)),
                    List.of(tag(style), tag(material), tag(color)),
                    price(random, kind), "USD", "https://picsum.photos/seed/" + id + "/600/600",
                    random.nextInt(100) >= 8, updatedAt));
        }
        return products;
    }

    private static String description(Random random, Kind kind, String style, String material, String noun,
                                      String color, String feature, String otherFeature) {
        String leaf = kind.path.get(2).toLowerCase();
        String opening = switch (random.nextInt(4)) {
            case 0 -> (article(style).equals("an") ? "An " : "A ") + style.toLowerCase() + " " + noun.toLowerCase() + " in " + material.toLowerCase()
                    + ", finished in " + color.toLowerCase() + ".";
            case 1 -> "Made from " + material.toLowerCase() + " with " + article(style) + " " + style.toLowerCase() + " look that works in any space.";
            case 2 -> "Our best-loved " + noun.toLowerCase() + ": " + style.toLowerCase() + " lines, honest "
                    + material.toLowerCase() + " and " + article(color) + " " + color.toLowerCase() + " finish.";
            default -> "Designed for everyday use, this " + noun.toLowerCase() + " pairs " + material.toLowerCase()
                    + " with " + style.toLowerCase() + " details.";
        };
        String middle = "It comes with " + feature + (feature.equals(otherFeature) ? "." : " and " + otherFeature + ".");
        String closing = switch (random.nextInt(3)) {
            case 0 -> "A favourite among shoppers looking for " + leaf + " that last.";
            case 1 -> "Backed by a two-year warranty and free returns.";
            default -> "Pairs well with the rest of our " + kind.path.get(1).toLowerCase() + " collection.";
        };
        return opening + " " + middle + " " + closing;
    }

    private static String article(String word) {
        return "AEIOU".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    private static BigDecimal price(Random random, Kind kind) {
        // skewed toward the low end, as real price lists are; ending in .99 or .00
        double r = Math.pow(random.nextDouble(), 1.7);
        int whole = kind.minPrice + (int) Math.round(r * (kind.maxPrice - kind.minPrice));
        return random.nextInt(4) == 0 ? BigDecimal.valueOf(whole).setScale(0, RoundingMode.UNNECESSARY)
                : new BigDecimal(whole + ".99");
    }

    private static String tag(String value) {
        return value.toLowerCase().replace(' ', '-');
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static Kind kind(String path, String nouns, String styles, String materials, String features, String brands,
                             int minPrice, int maxPrice) {
        return new Kind(List.of(path.split(" > ")), split(nouns), split(styles), split(materials), split(features),
                split(brands), minPrice, maxPrice);
    }

    private static List<String> split(String values) {
        return List.of(values.split("\\|"));
    }
}
