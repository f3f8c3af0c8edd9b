package io.tastemaker.profiles;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a taste profile is stored: the vector as little-endian float32 bytes (exact, compact),
 * everything else as one JSON document that support staff can read in SQL.
 */
@ApplicationScoped
public class ProfileCodec {

    record State(Instant asOf, Map<String, Double> items, Map<String, Double> categories, Map<String, Double> brands,
                 List<TasteProfile.Recent> recent, List<String> hidden, List<String> purchased) {
    }

    private final ObjectMapper json;
    /**
     * Reads states without Jackson's shared table of field names: a state's keys are product ids,
     * brands and categories, so nearly every read added new names to that table, copying its arrays
     * (the largest single allocation of a feed in the allocation profile) only to see it flushed when full.
     */
    private final ObjectReader states;
    private final ObjectReader recents;

    public ProfileCodec(ObjectMapper json) {
        this.json = json;
        this.states = json.copyWith(json.getFactory().rebuild().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                .build()).readerFor(State.class);
        this.recents = json.readerForListOf(TasteProfile.Recent.class);
    }

    public String state(TasteProfile p) {
        try {
            // sorted keys: the same profile is always the same document, whatever order it was built in
            return json.writeValueAsString(new State(p.asOf(), new TreeMap<>(p.items()), new TreeMap<>(p.categories()),
                    new TreeMap<>(p.brands()), p.recent(), p.hidden(), p.purchased()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TasteProfile read(String userId, String state, byte[] vector, String modelVersion, long events) {
        try {
            State s = states.readValue(state);
            return new TasteProfile(userId, s.asOf(), vector == null ? null : floats(vector), modelVersion,
                    s.items(), s.categories(), s.brands(), s.recent(), s.hidden(), s.purchased(), events);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Only the recent engagement of a stored state ({@code state->'recent'}), newest first; empty for null. */
    public List<TasteProfile.Recent> recent(String recentJson) {
        if (recentJson == null) {
            return List.of();
        }
        try {
            return recents.readValue(recentJson);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    public static float[] floats(byte[] bytes) {
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
