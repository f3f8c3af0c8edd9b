package io.tastemaker.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tastemaker.errors.Conflict;
import io.tastemaker.errors.NotFound;
import io.tastemaker.shoppers.ShopperData;
import io.tastemaker.streams.DeadLetterLog;
import io.tastemaker.streams.DeadLetterLog.DeadLetter;
import io.tastemaker.streams.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * The operator's view of the dead-letter topics, and sending a dead letter back after a fix.
 * <p><b>Erased shoppers.</b> An engagement dead letter keyed by (or naming as {@code userId}) a
 * shopper on the erasure list is listed without its key, reason and payload, and is never sent
 * back: the topic keeps it until its retention ends (docs/shopper-data.md), nobody reads it here.
 * <p><b>Once only.</b> The record goes back as it was (same key, same value, so an event keeps its
 * {@code eventId}); a ledger row per dead letter makes a second request answer "already
 * re-published" without sending, and the engagement consumer's dedupe (an {@code eventId} counts
 * once within its window) holds for an event that also came back another way.
 */
@ApplicationScoped
public class DeadLetters {

    private final DeadLetterLog log;
    private final Topics topics;
    private final RepublishLedger ledger;
    private final ShopperData shoppers;
    private final ObjectMapper json;

    DeadLetters(DeadLetterLog log, Topics topics, RepublishLedger ledger, ShopperData shoppers, ObjectMapper json) {
        this.log = log;
        this.topics = topics;
        this.ledger = ledger;
        this.shoppers = shoppers;
        this.json = json;
    }

    /** A dead letter as the operator sees it; key, reason and payload are null when {@code withheld} says why. */
    public record View(String topic, int partition, long offset, Instant deadLetteredAt, String reason,
                       Source source, String group, String key, String payload, String withheld,
                       Republished republished) {
    }

    public record Source(String topic, Integer partition, Long offset) {
    }

    /** Who sent it back, when, and where it landed (null partition and offset while the send is in flight). */
    public record Republished(String by, Instant at, Integer partition, Long offset) {
    }

    /** One dead letter named by place, and what happened to it. */
    public record Outcome(String topic, int partition, long offset, String status, String sourceTopic,
                          Republished republished) {
        public static final String REPUBLISHED = "republished";
        public static final String ALREADY = "already-republished";
        public static final String IN_FLIGHT = "in-flight";
    }

    public List<String> deadLetterTopics() {
        return log.topics();
    }

    /** The latest {@code limit} dead letters per topic (all dead-letter topics when {@code topic} is null), newest first. */
    public List<View> latest(String topic, int limit) {
        List<DeadLetter> letters = log.latest(topic == null ? log.topics() : List.of(topic), limit);
        Set<String> erased = erased(letters);
        Map<RepublishLedger.Place, RepublishLedger.Entry> republished = new java.util.HashMap<>();
        for (String t : topic == null ? log.topics() : List.of(topic)) {
            republished.putAll(ledger.find(t, letters.stream().filter(l -> l.topic().equals(t)).map(DeadLetters::place).toList()));
        }
        List<View> views = new ArrayList<>();
        for (DeadLetter letter : letters) {
            views.add(view(letter, erased, republished.get(place(letter))));
        }
        return views;
    }

    /**
     * Sends each named dead letter back to its source topic, each once: every one is looked up
     * first (404 if one is gone, 409 if one is an erased shopper's), then each is claimed and sent,
     * and the answer comes once the broker acknowledged every one sent.
     */
    public List<Outcome> republish(List<RepublishLedger.Place> places, String actor) {
        List<DeadLetter> letters = new ArrayList<>();
        for (RepublishLedger.Place place : places) {
            DeadLetter letter = log.at(place.topic(), place.partition(), place.offset())
                    .orElseThrow(() -> new UnknownDeadLetter(place));
            if (letter.sourceTopic() == null) {
                throw new NotRepublishable(place, "it names no source topic");
            }
            if (!erased(List.of(letter)).isEmpty()) {
                throw new NotRepublishable(place, "its shopper was erased; erased shoppers' events are never sent again");
            }
            letters.add(letter);
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (DeadLetter letter : letters) {
            RepublishLedger.Place place = place(letter);
            if (!ledger.claim(place, letter.sourceTopic(), actor)) {
                RepublishLedger.Entry entry = ledger.find(place).orElseThrow();
                outcomes.add(new Outcome(letter.topic(), letter.partition(), letter.offset(),
                        entry.acknowledged() ? Outcome.ALREADY : Outcome.IN_FLIGHT, letter.sourceTopic(), republished(entry)));
                continue;
            }
            RecordMetadata acked;
            try {
                acked = log.republish(letter, actor).join();
            } catch (CompletionException e) {
                ledger.release(place);
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            } catch (RuntimeException e) {
                ledger.release(place);
                throw e;
            }
            ledger.acknowledged(place, acked.partition(), acked.offset());
            outcomes.add(new Outcome(letter.topic(), letter.partition(), letter.offset(), Outcome.REPUBLISHED,
                    letter.sourceTopic(), republished(ledger.find(place).orElseThrow())));
        }
        return outcomes;
    }

    private View view(DeadLetter letter, Set<String> erased, RepublishLedger.Entry entry) {
        Source source = new Source(letter.sourceTopic(), letter.sourcePartition(), letter.sourceOffset());
        if (isErased(letter, erased)) {
            return new View(letter.topic(), letter.partition(), letter.offset(), letter.deadLetteredAt(), null, source,
                    letter.group(), null, null, "its shopper was erased", republished(entry));
        }
        return new View(letter.topic(), letter.partition(), letter.offset(), letter.deadLetteredAt(), letter.reason(),
                source, letter.group(), letter.key(), letter.payload(), null, republished(entry));
    }

    private static Republished republished(RepublishLedger.Entry entry) {
        return entry == null ? null : new Republished(entry.by(), entry.acknowledged() ? entry.republishedAt()
                : entry.claimedAt(), entry.partition(), entry.offset());
    }

    /** The erased shoppers among the engagement dead letters' keys and {@code userId}s (catalog ones name none). */
    private Set<String> erased(List<DeadLetter> letters) {
        Set<String> ids = new HashSet<>();
        for (DeadLetter letter : letters) {
            if (letter.topic().equals(topics.engagementDeadLetters())) {
                ids.addAll(shopperIds(letter));
            }
        }
        return shoppers.erased(ids);
    }

    private boolean isErased(DeadLetter letter, Set<String> erased) {
        return letter.topic().equals(topics.engagementDeadLetters())
                && shopperIds(letter).stream().anyMatch(erased::contains);
    }

    private Set<String> shopperIds(DeadLetter letter) {
        Set<String> ids = new HashSet<>();
        if (letter.key() != null) {
            ids.add(letter.key());
        }
        userId(letter.payload()).ifPresent(ids::add);
        return ids;
    }

    private Optional<String> userId(String payload) {
        if (payload == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = json.readTree(payload);
            JsonNode userId = node == null ? null : node.get("userId");
            return userId != null && userId.isTextual() ? Optional.of(userId.asText()) : Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty(); // not JSON: the key is all it names
        }
    }

    private static RepublishLedger.Place place(DeadLetter letter) {
        return new RepublishLedger.Place(letter.topic(), letter.partition(), letter.offset());
    }

    /** The named dead letter is not on its topic (wrong place, or gone with the topic's retention). */
    static final class UnknownDeadLetter extends NotFound {
        UnknownDeadLetter(RepublishLedger.Place place) {
            super("No dead letter at " + place.address() + " (wrong place, or gone with the topic's retention).");
        }
    }

    static final class NotRepublishable extends Conflict {
        NotRepublishable(RepublishLedger.Place place, String why) {
            super("The dead letter at " + place.address() + " cannot be re-published: " + why + ".");
        }
    }
}
