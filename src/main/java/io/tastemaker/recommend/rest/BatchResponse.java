package io.tastemaker.recommend.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tastemaker.api.Problem;

import java.util.List;

/**
 * The answer to a batch: one entry per part, in the order asked. A part answered carries
 * {@code status} 200 and its {@code list}, the same document its single-list endpoint answers; a
 * part that could not be answered carries the status and the problem that endpoint would have
 * answered ({@code problem}, fields named from the top of the batch: {@code parts[1].limit}).
 */
public record BatchResponse(List<Part> parts) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Part(String surface, int status, RecommendationResponse list, Problem problem) {

        static Part answered(String surface, RecommendationResponse list) {
            return new Part(surface, 200, list, null);
        }

        static Part failed(String surface, Problem problem) {
            return new Part(surface, problem.status(), null, problem);
        }
    }
}
