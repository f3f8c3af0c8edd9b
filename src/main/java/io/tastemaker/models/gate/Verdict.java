package io.tastemaker.models.gate;

/** A candidate's score beside the active version's, on the same shoppers and window. */
public record Verdict(VersionScore candidate, VersionScore active, Window window, boolean worse, String summary) {
}
