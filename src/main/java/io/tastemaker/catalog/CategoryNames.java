package io.tastemaker.catalog;

/** How reasons name a category. */
public final class CategoryNames {

    private CategoryNames() {
    }

    /** "Home > Lighting > Lamps" → "Lamps". */
    public static String leaf(String categoryPath) {
        if (categoryPath == null || categoryPath.isBlank()) {
            return "the shop";
        }
        int cut = categoryPath.lastIndexOf('>');
        return categoryPath.substring(cut + 1).trim();
    }
}
