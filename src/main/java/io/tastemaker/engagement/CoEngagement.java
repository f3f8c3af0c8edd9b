package io.tastemaker.engagement;

import io.tastemaker.profiles.TasteProfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Item-to-item links from the order shoppers engage in: when a shopper engages with Y, each of
 * their previous {@code window} distinct items X gets a link X → Y (what people engage with
 * after X), and so does each of their last {@code window} pins on the same board. Links keep
 * their direction and are summed as raw counts, optionally weighed down by distance; measured
 * on real data, raw forward counts beat cosine-normalised symmetric ones.
 */
public final class CoEngagement {

    /** One link to add: {@code from} was engaged before {@code to}. */
    public record Link(String from, String to, double weight) {
    }

    private final int window;
    private final double stepDecay;

    public CoEngagement(int window, double stepDecay) {
        this.window = window;
        this.stepDecay = stepDecay;
    }

    /**
     * The links an engagement with {@code productId} adds, given the shopper's recent items (most
     * recent first, before this event). Only positive engagement links items.
     */
    public List<Link> links(List<TasteProfile.Recent> recent, String productId, String boardId, double eventWeight) {
        if (eventWeight <= 0 || window <= 0) {
            return List.of();
        }
        Map<String, Integer> steps = new LinkedHashMap<>();
        int step = 0;
        for (TasteProfile.Recent r : recent) {
            if (step == window) {
                break;
            }
            if (r.productId().equals(productId) || steps.containsKey(r.productId())) {
                continue;
            }
            steps.put(r.productId(), ++step);
        }
        if (boardId != null) {
            int boardStep = 0;
            for (TasteProfile.Recent r : recent) {
                if (boardStep == window) {
                    break;
                }
                if (!boardId.equals(r.boardId()) || r.productId().equals(productId)) {
                    continue;
                }
                boardStep++;
                steps.merge(r.productId(), boardStep, Math::min);
            }
        }
        List<Link> links = new ArrayList<>(steps.size());
        steps.forEach((from, distance) -> links.add(new Link(from, productId, Math.pow(stepDecay, distance - 1))));
        return links;
    }
}
