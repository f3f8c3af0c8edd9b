package io.tastemaker.recommend.sources;

import io.tastemaker.profiles.TasteProfile;

import java.util.List;

/**
 * Whom and what a list is for, as every source sees it: the shopper's profile (null for an
 * unknown shopper), the anchor products (the one on screen, or the shopper's recent items), the
 * shopper's words (search, assistant), and, once the words have matched, those matches: the
 * sources that only reorder a search ask among them instead of the whole catalogue.
 */
public record Subject(TasteProfile profile, List<Anchor> anchors, String words, Retrieved among) {

    public Subject {
        anchors = List.copyOf(anchors);
    }

    public static Subject of(TasteProfile profile, List<Anchor> anchors) {
        return new Subject(profile, anchors, null, null);
    }

    public static Subject words(TasteProfile profile, String words) {
        return new Subject(profile, List.of(), words, null);
    }

    /** This subject restricted to what another source found. */
    public Subject among(Retrieved matches) {
        return new Subject(profile, anchors, words, matches);
    }
}
