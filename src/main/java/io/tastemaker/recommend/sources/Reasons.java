package io.tastemaker.recommend.sources;

import io.tastemaker.catalog.CategoryNames;
import io.tastemaker.profiles.TasteProfile;

import java.util.List;

/** How the sources explain a candidate, in words a shopper can read. */
public final class Reasons {

    private Reasons() {
    }

    /** "close to your taste in Lamps and Rugs". */
    static String taste(TasteProfile profile) {
        List<String> liked = TasteProfile.strongest(profile.categories(), 2).stream()
                .map(e -> CategoryNames.leaf(e.getKey())).toList();
        return liked.isEmpty() ? "close to what you engaged with" : "close to your taste in " + String.join(" and ", liked);
    }

    static String like(Anchor anchor) {
        return anchor.onScreen() ? "similar to " + anchor.name() : "like " + anchor.name() + ", which you " + anchor.verb();
    }

    static String after(Anchor anchor) {
        return anchor.onScreen() ? "often chosen after " + anchor.title()
                : anchor.title() == null ? "often chosen next by shoppers" : "because you " + anchor.verb() + " " + anchor.title();
    }

    /** "liked by shoppers who also pinned X", named after the shared item that counted most. */
    static String alike(Anchor shared) {
        return shared.title() == null ? "liked by shoppers with tastes like yours"
                : "liked by shoppers who also " + shared.verb() + " " + shared.title();
    }

    /** The past tense of an engagement type: "because you pinned …". */
    public static String verb(String type) {
        return switch (type) {
            case "pin" -> "pinned";
            case "click" -> "clicked";
            case "add_to_cart" -> "added to your cart";
            case "purchase" -> "bought";
            default -> "viewed";
        };
    }
}
