package io.tastemaker.recommend;

import io.tastemaker.vectors.ProductPayload;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A page of lists with fake lists: each "ranks" a fixed order and leaves out what it is told to. */
class PageOfListsTest {

    private static final Executor INLINE = Runnable::run;

    @Test
    void with_distinct_each_list_leaves_out_what_earlier_lists_show_and_still_fills_its_page() {
        List<Set<String>> toldToLeaveOut = new ArrayList<>();
        PageOfLists.Part feed = list(toldToLeaveOut, 3, "a", "b", "c", "d", "e");
        PageOfLists.Part similar = list(toldToLeaveOut, 3, "b", "x", "c", "y", "z");

        List<CompletableFuture<Recommendations>> answers = PageOfLists.answer(List.of(feed, similar, feed), true, INLINE,
                places(0));

        assertThat(ids(answers.get(0))).containsExactly("a", "b", "c");
        assertThat(ids(answers.get(1))).containsExactly("x", "y", "z");
        assertThat(ids(answers.get(2))).containsExactly("d", "e");
        assertThat(toldToLeaveOut.get(2)).containsExactlyInAnyOrder("a", "b", "c", "x", "y", "z");
    }

    @Test
    void a_failing_list_fails_alone_and_the_next_ones_answer() {
        List<Set<String>> told = new ArrayList<>();
        PageOfLists.Part broken = leaveOut -> {
            throw new IllegalStateException("no such product");
        };
        PageOfLists.Part late = leaveOut -> CompletableFuture.failedFuture(new IllegalArgumentException("too late"));

        List<CompletableFuture<Recommendations>> answers = PageOfLists.answer(
                List.of(list(told, 2, "a", "b", "c"), broken, late, list(told, 2, "a", "b", "c")), true, INLINE, places(0));

        assertThat(ids(answers.get(0))).containsExactly("a", "b");
        assertThatThrownBy(answers.get(1)::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(answers.get(2)::join).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(ids(answers.get(3))).containsExactly("c");
    }

    @Test
    void a_list_waiting_on_the_reranker_holds_back_only_the_lists_after_it() {
        List<Set<String>> told = new ArrayList<>();
        CompletableFuture<Recommendations> reranking = new CompletableFuture<>();
        PageOfLists.Part reranked = leaveOut -> reranking;

        List<CompletableFuture<Recommendations>> answers = PageOfLists.answer(
                List.of(list(told, 2, "a", "b", "c"), reranked, list(told, 2, "a", "b", "c", "d")), true, INLINE,
                places(0));

        assertThat(answers.get(0)).isDone();
        assertThat(answers.get(2)).isNotDone();
        reranking.complete(page("c"));
        assertThat(ids(answers.get(2))).containsExactly("d");
    }

    @Test
    void without_distinct_lists_run_on_free_places_and_the_rest_in_the_requests_own() {
        List<Runnable> onWorkers = new ArrayList<>(); // run once the request's thread is done with its own
        TakenPlaces places = places(1);
        List<Set<String>> told = new ArrayList<>();
        PageOfLists.Part list = list(told, 2, "a", "b");

        List<CompletableFuture<Recommendations>> answers = PageOfLists.answer(List.of(list, list, list), false,
                onWorkers::add, places);
        assertThat(onWorkers).hasSize(1); // one spare place: one list on a worker, two in the request's own
        assertThat(answers.stream().filter(CompletableFuture::isDone)).hasSize(2);
        onWorkers.forEach(Runnable::run);

        assertThat(answers).allSatisfy(a -> assertThat(ids(a)).containsExactly("a", "b"));
        assertThat(told).allMatch(Set::isEmpty);
        assertThat(places.taken).hasValue(0); // every place taken was given back
    }

    private static PageOfLists.Part list(List<Set<String>> told, int limit, String... ranked) {
        return leaveOut -> {
            told.add(new LinkedHashSet<>(leaveOut));
            return CompletableFuture.completedFuture(page(java.util.Arrays.stream(ranked)
                    .filter(id -> !leaveOut.contains(id)).limit(limit).toArray(String[]::new)));
        };
    }

    private static Recommendations page(String... ids) {
        List<Ranking.Ranked> items = new ArrayList<>();
        for (String id : ids) {
            items.add(new Ranking.Ranked(id, new ProductPayload(id, "b", List.of("c"), List.of(), BigDecimal.ONE, "USD",
                    null, true, "h"), 1, List.of(), false, List.of()));
        }
        return Recommendations.page(items, 0, -1, "m", new Recommendations.Rerank(false, null, "disabled"));
    }

    private static List<String> ids(CompletableFuture<Recommendations> answer) {
        return answer.join().items().stream().map(Ranking.Ranked::productId).toList();
    }

    private static TakenPlaces places(int free) {
        return new TakenPlaces(free);
    }

    private static final class TakenPlaces implements PageOfLists.Places {
        private final int free;
        final AtomicInteger taken = new AtomicInteger();

        TakenPlaces(int free) {
            this.free = free;
        }

        @Override
        public boolean tryTake() {
            if (taken.get() >= free) {
                return false;
            }
            taken.incrementAndGet();
            return true;
        }

        @Override
        public void giveBack() {
            taken.decrementAndGet();
        }
    }
}
