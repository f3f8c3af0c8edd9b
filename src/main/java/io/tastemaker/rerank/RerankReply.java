package io.tastemaker.rerank;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the model's answer and turns it into an order of every candidate. The model is not
 * trusted to follow the format: ids it invented are dropped, repeated ones count once, candidates
 * it left out follow in fused order, held-out candidates keep their fused positions, and reasons
 * with links or markup are discarded.
 */
public final class RerankReply {

    /** The reply could not be read as a ranking of known candidates. */
    public static final class MalformedReply extends Exception {
        MalformedReply(String message) {
            super(message);
        }
    }

    /**
     * The candidates the model ranked, in its order (known ids only, each once), the reasons kept,
     * and how much repair the reply needed.
     */
    public record Parsed(List<String> chosen, Map<String, String> reasons, int invented, int duplicates, int missing) {
    }

    static final int MAX_REASON_CHARS = 140;
    private static final Pattern LINK_OR_MARKUP = Pattern.compile(
            "(?i)(https?:|www\\.|://|\\b[\\w.-]+\\.(com|net|org|io|ru|cn|xyz)\\b|@[\\w-]+\\.|[<>{}\\[\\]`])");
    private static final ObjectMapper JSON = new ObjectMapper();

    private RerankReply() {
    }

    public static Parsed parse(String text, RerankPrompt prompt) throws MalformedReply {
        JsonNode ranking = rankingArray(text);
        Set<String> chosen = new LinkedHashSet<>();
        Map<String, String> reasons = new HashMap<>();
        int invented = 0;
        int duplicates = 0;
        for (JsonNode entry : ranking) {
            JsonNode id = entry.isObject() ? entry.get("id") : entry;
            String productId = id != null && id.isTextual() ? prompt.handles().get(id.asText().trim()) : null;
            if (productId == null) {
                invented++;
            } else if (!chosen.add(productId)) {
                duplicates++;
            } else if (entry.isObject() && entry.get("reason") != null && entry.get("reason").isTextual()) {
                String reason = reason(entry.get("reason").asText());
                if (reason != null) {
                    reasons.put(productId, reason);
                }
            }
        }
        if (chosen.isEmpty()) {
            throw new MalformedReply("the reply names none of the candidates");
        }
        int missing = 0;
        for (String id : prompt.handles().values()) {
            if (!chosen.contains(id)) {
                missing++;
            }
        }
        return new Parsed(List.copyOf(chosen), Map.copyOf(reasons), invented, duplicates, missing);
    }

    /**
     * Every candidate in its new place: held-out candidates stay where fusion put them; the shown
     * ones fill the other positions in the model's order, then those it left out in fused order.
     *
     * @param candidates every candidate's product id in fused order
     */
    public static List<String> order(List<String> candidates, RerankPrompt prompt, List<String> chosenInOrder) {
        Set<String> heldOut = Set.copyOf(prompt.heldOut());
        Set<String> chosen = Set.copyOf(chosenInOrder);
        List<String> shown = new ArrayList<>(chosenInOrder);
        candidates.stream().filter(id -> !heldOut.contains(id) && !chosen.contains(id)).forEach(shown::add);
        List<String> order = new ArrayList<>(candidates.size());
        int next = 0;
        for (String id : candidates) {
            order.add(heldOut.contains(id) ? id : shown.get(next++));
        }
        return order;
    }

    /** Tolerates code fences and prose around the JSON; accepts {"ranking": [...]}, any single array, or a bare array. */
    private static JsonNode rankingArray(String text) throws MalformedReply {
        if (text == null || text.isBlank()) {
            throw new MalformedReply("the reply is empty");
        }
        int objectStart = text.indexOf('{');
        int arrayStart = text.indexOf('[');
        boolean bareArray = arrayStart >= 0 && (objectStart < 0 || arrayStart < objectStart);
        int start = bareArray ? arrayStart : objectStart;
        int end = bareArray ? text.lastIndexOf(']') : text.lastIndexOf('}');
        if (start < 0 || end <= start) {
            throw new MalformedReply("the reply holds no JSON");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text.substring(start, end + 1));
        } catch (JsonProcessingException e) {
            throw new MalformedReply("the reply is not valid JSON: " + e.getOriginalMessage());
        }
        if (root.isArray()) {
            return root;
        }
        if (root.path("ranking").isArray()) {
            return root.get("ranking");
        }
        List<JsonNode> arrays = new ArrayList<>();
        root.forEach(v -> {
            if (v.isArray()) {
                arrays.add(v);
            }
        });
        if (arrays.size() == 1) {
            return arrays.get(0);
        }
        throw new MalformedReply("the reply has no \"ranking\" array");
    }

    /** A reason fit to show a shopper, or null: one line, short, no links or markup. */
    static String reason(String text) {
        String line = RerankPrompt.clean(text, Integer.MAX_VALUE);
        if (line.isEmpty() || LINK_OR_MARKUP.matcher(line).find()) {
            return null;
        }
        if (line.length() > MAX_REASON_CHARS) {
            int cut = line.lastIndexOf(' ', MAX_REASON_CHARS - 1);
            line = line.substring(0, cut > 40 ? cut : MAX_REASON_CHARS - 1) + "…";
        }
        return line;
    }
}
