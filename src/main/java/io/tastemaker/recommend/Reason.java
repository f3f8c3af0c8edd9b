package io.tastemaker.recommend;

/** Why a product is in a list: which signal ({@code source}: a source's key, "merchandising", "llm") and its words. */
public record Reason(String source, String detail) {
}
