package io.tastemaker.storefront;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * A square SVG tile that stands in for a product image the browser could not load: the colour of
 * its category, shifted a little per product so neighbours differ, a glyph for the kind of
 * product and up to two initials of its title. It is drawn only from what the caller sends and
 * reflects no free text (two letters or digits at most), so anyone may ask for one: it reveals
 * nothing and cannot be made to say anything.
 */
public final class PlaceholderImage {

    /** A kind of product: the words its category contains, its base hue and its glyph (24×24 stroked path). */
    private record Kind(List<String> words, int hue, String glyph) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind(List.of("lamp", "light"), 45, "M9 18h6M10 21h4M12 3a6 6 0 0 0-4 10.5c.7.7 1 1.5 1 2.5h6c0-1 .3-1.8 1-2.5A6 6 0 0 0 12 3z"),
            new Kind(List.of("sofa", "chair", "furniture", "table", "shel"), 25,
                    "M5 11V7a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v4M3 11h18v5H3zM5 16v3M19 16v3"),
            new Kind(List.of("candle", "fragrance"), 15, "M12 3c2 3 3 4.5 3 6.5a3 3 0 0 1-6 0C9 7.5 10 6 12 3zM9 13h6v8H9z"),
            new Kind(List.of("rug", "pillow", "decor", "wall art", "bedding", "duvet", "home"), 200,
                    "M3 11l9-7 9 7M5 10v10h14V10M10 20v-6h4v6"),
            new Kind(List.of("kitchen", "cook", "coffee", "mug", "skillet", "tableware"), 350,
                    "M5 8h11v7a5 5 0 0 1-5 5h-1a5 5 0 0 1-5-5zM16 10h2a2 2 0 0 1 0 4h-2M8 3v2M11 3v2"),
            new Kind(List.of("shoe", "sneaker", "boot"), 280, "M3 17V8h5l2 4 7 1c2.5.5 4 2 4 4zM3 17h18"),
            new Kind(List.of("dress", "jacket", "clothing", "women", "men"), 320,
                    "M8 3l4 3 4-3 5 4-3 3-2-1v12H8V9l-2 1-3-3z"),
            new Kind(List.of("bag", "backpack"), 30, "M6 8h12l1 13H5zM9 8V6a3 3 0 0 1 6 0v2"),
            new Kind(List.of("jewel", "necklace", "accessor"), 290, "M6 4h12l3 5-9 12L3 9zM3 9h18M9 4l3 5 3-5M12 9v12"),
            new Kind(List.of("beauty", "skin", "moistur"), 170, "M12 3c3 4.5 6 8 6 11a6 6 0 0 1-12 0c0-3 3-6.5 6-11z"),
            new Kind(List.of("audio", "headphone", "speaker", "electronic"), 230,
                    "M4 15v-3a8 8 0 0 1 16 0v3M4 15h3v5H4zM17 15h3v5h-3z"),
            new Kind(List.of("yoga", "sport"), 140, "M12 12m-8 0a8 8 0 1 0 16 0a8 8 0 1 0-16 0M4 12h16M12 4c3 3 3 13 0 16"),
            new Kind(List.of("camp", "tent", "outdoor"), 100, "M3 20L12 4l9 16zM12 4v16M9 20l3-5 3 5"),
            new Kind(List.of("garden", "plant"), 120, "M12 21V11M12 11c0-4 3-7 8-7 0 5-3 7-8 7zM12 14c0-3-2-5-6-5 0 4 2 5 6 5z"),
            new Kind(List.of("toy", "kids", "building"), 55, "M4 10h16v10H4zM7 10V7h4v3M13 10V7h4v3"),
            new Kind(List.of("notebook", "stationery", "paper"), 260, "M6 3h11a1 1 0 0 1 1 1v17H7a2 2 0 0 1-2-2V4a1 1 0 0 1 1-1zM5 17h13M9 7h6"));
    private static final String OTHER_GLYPH = "M3 12V3h9l9 9-9 9zM7.5 7.5h.01";
    private static final int OTHER_HUE = 210;

    private PlaceholderImage() {
    }

    /**
     * The SVG document for a product.
     *
     * @param seed     what the colour is derived from (the product id); the same seed, the same tile
     * @param title    the product's title, or null: its first two words' initials are drawn
     * @param category the product's category path, or null: it chooses the glyph and the hue
     */
    public static String svg(String seed, String title, String category) {
        Kind kind = kindOf(category);
        long hash = crc(seed);
        int hue = Math.floorMod((kind == null ? OTHER_HUE : kind.hue) + (int) (hash % 31) - 15, 360);
        int lightness = 52 + (int) ((hash >>> 8) % 12);
        String background = hsl(hue, 0.42, lightness / 100.0);
        String shade = hsl(hue, 0.45, (lightness - 14) / 100.0);
        String glyph = kind == null ? OTHER_GLYPH : kind.glyph;
        String initials = initials(title);
        StringBuilder svg = new StringBuilder(900)
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 240 240\" width=\"240\" height=\"240\">")
                .append("<rect width=\"240\" height=\"240\" fill=\"").append(background).append("\"/>")
                .append("<path d=\"M0 240L240 120V240z\" fill=\"").append(shade).append("\" opacity=\"0.35\"/>")
                .append("<g transform=\"translate(84 44) scale(3)\" fill=\"none\" stroke=\"#fff\" stroke-width=\"1.4\"")
                .append(" stroke-linecap=\"round\" stroke-linejoin=\"round\" opacity=\"0.9\"><path d=\"")
                .append(glyph).append("\"/></g>");
        if (!initials.isEmpty()) {
            svg.append("<text x=\"120\" y=\"196\" text-anchor=\"middle\" font-family=\"system-ui,sans-serif\"")
                    .append(" font-size=\"40\" font-weight=\"600\" fill=\"#fff\" letter-spacing=\"2\">")
                    .append(initials).append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    /** Up to two upper-case initials, letters and digits only: nothing else of the title is drawn. */
    static String initials(String title) {
        if (title == null) {
            return "";
        }
        StringBuilder initials = new StringBuilder(2);
        for (String word : title.strip().split("\\s+")) {
            if (initials.length() == 2) {
                break;
            }
            if (!word.isEmpty() && Character.isLetterOrDigit(word.codePointAt(0)) && Character.isBmpCodePoint(word.codePointAt(0))) {
                initials.append(Character.toUpperCase(word.charAt(0)));
            }
        }
        return initials.toString();
    }

    private static Kind kindOf(String category) {
        if (category == null) {
            return null;
        }
        String text = category.toLowerCase(Locale.ROOT);
        // the most specific level names the kind best: "Home > Lighting > Floor Lamps" is a lamp
        String[] levels = text.split(">");
        for (int i = levels.length - 1; i >= 0; i--) {
            for (Kind kind : KINDS) {
                for (String word : kind.words) {
                    if (levels[i].contains(word)) {
                        return kind;
                    }
                }
            }
        }
        return null;
    }

    private static long crc(String seed) {
        CRC32 crc = new CRC32();
        crc.update((seed == null ? "" : seed).getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private static String hsl(int hue, double saturation, double lightness) {
        double c = (1 - Math.abs(2 * lightness - 1)) * saturation;
        double x = c * (1 - Math.abs((hue / 60.0) % 2 - 1));
        double m = lightness - c / 2;
        double[] rgb = switch (hue / 60) {
            case 0 -> new double[] {c, x, 0};
            case 1 -> new double[] {x, c, 0};
            case 2 -> new double[] {0, c, x};
            case 3 -> new double[] {0, x, c};
            case 4 -> new double[] {x, 0, c};
            default -> new double[] {c, 0, x};
        };
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round((rgb[0] + m) * 255), Math.round((rgb[1] + m) * 255),
                Math.round((rgb[2] + m) * 255));
    }
}
