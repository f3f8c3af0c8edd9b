package io.tastemaker.models.training;

import io.tastemaker.profiles.TasteProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The built-in fine-tuning's time cut-off: whatever the shoppers did, a pair whose anchor or
 * positive was engaged with at or after the cut-off never reaches the trainer.
 */
class BeforeCutoffTest {

    private static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void a_pair_that_crosses_the_cut_off_never_reaches_the_trainer() {
        Random random = new Random(11);
        for (int run = 0; run < 200; run++) {
            Instant cutOff = START.plus(Duration.ofHours(random.nextInt(24 * 10)));
            // products engaged with only at or after the cut-off carry a name that says so
            List<TasteProfile> shoppers = new ArrayList<>();
            Set<String> transitionsBefore = new HashSet<>();
            for (int s = 0; s < 30; s++) {
                TasteProfile shopper = new TasteProfile("u" + s);
                Instant at = START.plus(Duration.ofMinutes(random.nextInt(600)));
                String previous = null;
                for (int k = 0; k < 2 + random.nextInt(18); k++) {
                    at = at.plus(Duration.ofMinutes(1 + random.nextInt(60 * 24)));
                    boolean before = at.isBefore(cutOff);
                    String product = before ? "early-" + random.nextInt(40) : "late-" + random.nextInt(40);
                    shopper.apply(new TasteProfile.Engagement(product, "click", 1.0, at, null, null, null, null, null),
                            Duration.ofDays(14), "none");
                    if (before && previous != null) {
                        transitionsBefore.add(previous + ">" + product);
                    }
                    previous = product;
                }
                shoppers.add(shopper);
            }
            Map<String, Integer> rows = new LinkedHashMap<>();
            BeforeCutoff before = BeforeCutoff.of(shoppers, cutOff, rows);
            float[][] vectors = new float[rows.size()][];
            for (int i = 0; i < vectors.length; i++) {
                vectors[i] = new float[]{1};
            }
            List<String> byRow = new ArrayList<>(rows.keySet());

            List<TrainingPair> trained = FineTuner.trainingPairs(before, vectors, 0);

            assertThat(rows.keySet()).as("rows of the base-vector table").allMatch(id -> id.startsWith("early-"));
            for (TrainingPair pair : trained) {
                assertThat(byRow.get(pair.anchor())).startsWith("early-");
                assertThat(byRow.get(pair.positive())).startsWith("early-");
            }
            // and nothing before the cut-off is lost: every next-item transition before it is a pair
            Set<String> pairs = new HashSet<>();
            trained.forEach(p -> pairs.add(byRow.get(p.anchor()) + ">" + byRow.get(p.positive())));
            transitionsBefore.removeIf(t -> t.split(">")[0].equals(t.split(">")[1]));
            assertThat(pairs).containsAll(transitionsBefore);
        }
    }

    @Test
    void without_the_cut_off_the_last_items_a_gate_scores_were_learnt() {
        // the leak the cut-off closes: all of a profile's items made pairs, the newest one too
        TasteProfile shopper = new TasteProfile("u");
        Instant at = START;
        for (String product : List.of("a", "b", "c")) {
            at = at.plus(Duration.ofDays(1));
            shopper.apply(new TasteProfile.Engagement(product, "click", 1.0, at, null, null, null, null, null),
                    Duration.ofDays(14), "none");
        }
        Map<String, Integer> everything = new LinkedHashMap<>();
        Map<String, Integer> beforeC = new LinkedHashMap<>();

        List<TrainingPair> all = BeforeCutoff.of(List.of(shopper), at.plusSeconds(1), everything).pairs(2, 0.8);
        List<TrainingPair> cut = BeforeCutoff.of(List.of(shopper), at, beforeC).pairs(2, 0.8);

        assertThat(all).contains(new TrainingPair(everything.get("b"), everything.get("c"), 1));
        assertThat(beforeC).doesNotContainKey("c");
        assertThat(cut).containsExactly(new TrainingPair(beforeC.get("a"), beforeC.get("b"), 1));
    }

    @Test
    void a_fine_tune_request_takes_a_cut_off_and_names_a_bad_one() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(FineTuneRequest.parse(json.createObjectNode().put("version", "ft").put("cutOff", "2026-11-05T00:00:00Z"))
                .cutOff()).isEqualTo(Instant.parse("2026-11-05T00:00:00Z"));
        assertThat(FineTuneRequest.parse(json.createObjectNode().put("version", "ft")).cutOff()).isNull();
        assertThatThrownBy(() -> FineTuneRequest.parse(json.createObjectNode().put("version", "ft").put("cutOff", "yesterday")))
                .isInstanceOfSatisfying(io.tastemaker.api.InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(io.tastemaker.api.FieldError::field).containsExactly("cutOff"));
        assertThatThrownBy(() -> FineTuneRequest.parse(json.createObjectNode().put("version", "ft").put("cutOff", 5)))
                .isInstanceOfSatisfying(io.tastemaker.api.InvalidInputException.class, e -> assertThat(e.errors())
                        .extracting(io.tastemaker.api.FieldError::field).containsExactly("cutOff"));
    }

    @Test
    void an_adapter_records_what_it_was_trained_until() {
        ResidualAdapter adapter = ResidualAdapter.identity("base", 4)
                .describedBy(Map.of(FineTuner.TRAINED_UNTIL, "2026-11-05T00:00:00Z"));
        assertThat(FineTuner.trainedUntil(adapter)).isEqualTo(Instant.parse("2026-11-05T00:00:00Z"));
        assertThat(FineTuner.trainedUntil(ResidualAdapter.identity("base", 4))).isNull();
    }
}
