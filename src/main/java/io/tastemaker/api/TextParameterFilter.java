package io.tastemaker.api;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;

/**
 * Answers 400, naming the parameter, when a path or query parameter holds text no endpoint
 * accepts ({@link SafeText}), before any resource sees it. JSON bodies get the same check
 * from {@link SafeJson}.
 */
public class TextParameterFilter {

    @ServerRequestFilter
    public void rejectUnsafeText(UriInfo uri) {
        check(uri.getPathParameters());
        check(uri.getQueryParameters());
    }

    private static void check(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String nameProblem = SafeText.problem(parameter.getKey());
            if (nameProblem != null) {
                throw new InvalidInputException("parameter name", nameProblem);
            }
            for (String value : parameter.getValue()) {
                String problem = SafeText.problem(value);
                if (problem != null) {
                    throw new InvalidInputException(parameter.getKey(), problem);
                }
            }
        }
    }
}
