package io.tastemaker.recommend;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Several lists for one page view (a batch), each answered or failed on its own. With
 * {@code distinct}, no product appears twice on the page: the lists are answered in the order
 * given, each leaving out what the lists before it show, so earlier lists keep their products and
 * later ones fill their pages from their own further candidates (rules and diversity apply to
 * what is left, as for any excluded product). Lists that do not depend on each other's products
 * (without {@code distinct}) run at once, each on a place of its own when the instance has one
 * to spare ({@link Places}), the rest one after another in the request's own place. Plain Java:
 * how a list is answered and how places are counted are given.
 */
public final class PageOfLists {

    /** One list of the page: its answer, leaving out {@code shownBefore} (the products earlier lists show). */
    @FunctionalInterface
    public interface Part {
        CompletionStage<Recommendations> answer(Set<String> shownBefore);
    }

    /** Places for lists in flight beyond the request's own (the instance's admission of lists). */
    public interface Places {
        /** Takes a place at once, or answers false (nothing taken) when none is free. */
        boolean tryTake();

        /** Gives back a place taken by {@link #tryTake()}. */
        void giveBack();
    }

    private PageOfLists() {
    }

    /**
     * Each part's answer, in the order of {@code parts}; a part that throws or fails completes
     * its own future exceptionally and the others still answer. Parts answered in the calling
     * thread run before this returns; later steps run on {@code workers}.
     */
    public static List<CompletableFuture<Recommendations>> answer(List<Part> parts, boolean distinct, Executor workers,
                                                                  Places places) {
        List<CompletableFuture<Recommendations>> answers = new ArrayList<>(parts.size());
        parts.forEach(p -> answers.add(new CompletableFuture<>()));
        if (distinct) {
            inOrder(parts, answers, 0, new LinkedHashSet<>(), workers);
        } else {
            atOnce(parts, answers, workers, places);
        }
        return answers;
    }

    /** Part {@code from} onwards, each leaving out what the ones before show; waits for a reranker off the thread. */
    private static void inOrder(List<Part> parts, List<CompletableFuture<Recommendations>> answers, int from,
                                Set<String> shown, Executor workers) {
        for (int i = from; i < parts.size(); i++) {
            CompletableFuture<Recommendations> answer = start(parts.get(i), Set.copyOf(shown));
            relay(answer, answers.get(i));
            if (!answer.isDone()) {
                // an LLM is reranking this part: the next part starts when it is done, on a worker thread
                int next = i + 1;
                answer.whenCompleteAsync((page, failure) -> {
                    addShown(page, shown);
                    inOrder(parts, answers, next, shown, workers);
                }, workers);
                return;
            }
            addShown(answer.isCompletedExceptionally() ? null : answer.getNow(null), shown);
        }
    }

    private static void atOnce(List<Part> parts, List<CompletableFuture<Recommendations>> answers, Executor workers,
                               Places places) {
        List<Integer> here = new ArrayList<>(List.of(0));
        for (int i = 1; i < parts.size(); i++) {
            if (places.tryTake()) {
                int part = i;
                CompletableFuture<Recommendations> answer = new CompletableFuture<>();
                answer.whenComplete((page, failure) -> places.giveBack());
                relay(answer, answers.get(part));
                try {
                    workers.execute(() -> relay(start(parts.get(part), Set.of()), answer));
                } catch (RuntimeException rejected) {
                    answer.completeExceptionally(rejected);
                }
            } else {
                here.add(i);
            }
        }
        for (int i : here) {
            relay(start(parts.get(i), Set.of()), answers.get(i));
        }
    }

    private static CompletableFuture<Recommendations> start(Part part, Set<String> shownBefore) {
        try {
            return part.answer(shownBefore).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void relay(CompletableFuture<Recommendations> from, CompletableFuture<Recommendations> to) {
        from.whenComplete((page, failure) -> {
            if (failure != null) {
                to.completeExceptionally(failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            } else {
                to.complete(page);
            }
        });
    }

    private static void addShown(Recommendations page, Set<String> shown) {
        if (page != null) {
            page.items().forEach(item -> shown.add(item.productId()));
        }
    }
}
