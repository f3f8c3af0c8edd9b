package io.tastemaker.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.tastemaker.api.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.Optional;

/**
 * The first thing every API request meets, on the event loop and without I/O: the body-size
 * limit of its endpoint and the rate limits. Each key has its own budget (the key's own, or its
 * role's default); requests with a storefront key, or with no valid key, also share a budget
 * per client address, since every shopper's browser holds the same public key. Over budget is
 * a 429 problem with {@code Retry-After}. A body larger than its endpoint allows is a 413, and
 * a body without a length a 411, except for the catalog import, which streams under Quarkus's
 * own, larger limit ({@code quarkus.http.limits.max-body-size}).
 */
@ApplicationScoped
public class RequestGuard {

    static final String IMPORT_PATH = "/v1/catalog/products:import";
    static final String EVENTS_PATH = "/v1/events";
    /** The request's key as this guard looked it up ({@code Optional<ApiKey>}), for the authentication mechanism. */
    static final String FOUND_KEY = "tastemaker.found-key";
    /** Before CORS (which answers preflights) and everything else. */
    private static final int PRIORITY = 1_000;

    private final ApiKeys keys;
    private final SecurityConfig config;
    private final ObjectMapper mapper;
    private final Cache<String, TokenBucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(2)).maximumSize(200_000).build();

    RequestGuard(ApiKeys keys, SecurityConfig config, ObjectMapper mapper) {
        this.keys = keys;
        this.config = config;
        this.mapper = mapper;
    }

    void register(@Observes Filters filters) {
        filters.register(this::guard, PRIORITY);
    }

    void guard(RoutingContext context) {
        if (!withinBodyLimit(context) || !withinRateLimits(context)) {
            return;
        }
        context.next();
    }

    private boolean withinBodyLimit(RoutingContext context) {
        HttpMethod method = context.request().method();
        if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
            return true;
        }
        String path = context.normalizedPath();
        if (path.equals(IMPORT_PATH)) {
            return true;
        }
        long limit = path.equals(EVENTS_PATH) ? config.limits().maxEventsBodyBytes() : config.limits().maxBodyBytes();
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            if (context.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                refuse(context, 411, "Length Required", "Send the body with a Content-Length (at most " + limit
                        + " bytes here); only the catalog import streams bodies of unknown length.", null);
                return false;
            }
            return true;
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            refuse(context, 400, "Bad Request", "Content-Length is not a number.", null);
            return false;
        }
        if (bytes > limit) {
            refuse(context, 413, "Content Too Large", "This endpoint takes bodies of at most " + limit + " bytes; this one has "
                    + bytes + ".", null);
            return false;
        }
        return true;
    }

    private boolean withinRateLimits(RoutingContext context) {
        String secret = ApiKeyAuthenticationMechanism.secretOf(context);
        Optional<ApiKey> key = secret == null ? Optional.empty() : keys.peek(secret);
        if (secret != null) {
            context.put(FOUND_KEY, key); // the authentication mechanism takes it from here: one hash per request
        }
        long now = System.nanoTime();
        long waitNanos = 0;
        if (key.isPresent()) {
            int perSecond = perSecond(key.get());
            waitNanos = bucket("key:" + key.get().id(), perSecond, now);
        }
        if (waitNanos == 0 && (key.isEmpty() || storefrontOnly(key.get()))) {
            waitNanos = bucket("client:" + clientAddress(context), config.rateLimit().perClient(), now);
        }
        if (waitNanos == 0) {
            return true;
        }
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        refuse(context, 429, "Too Many Requests", "The rate limit of this "
                + (key.isPresent() ? "key" : "client address") + " is reached; retry in " + seconds + " s.", seconds);
        return false;
    }

    private int perSecond(ApiKey key) {
        if (key.rateLimit() != null) {
            return key.rateLimit();
        }
        return storefrontOnly(key) ? config.rateLimit().storefrontPerKey() : config.rateLimit().perKey();
    }

    private static boolean storefrontOnly(ApiKey key) {
        return key.roles().size() == 1 && key.roles().contains(Roles.STOREFRONT);
    }

    private long bucket(String name, int perSecond, long now) {
        double capacity = Math.max(1, (double) perSecond * config.rateLimit().burstSeconds());
        return buckets.get(name, n -> new TokenBucket(perSecond, capacity, now)).take(now);
    }

    private static String clientAddress(RoutingContext context) {
        var address = context.request().remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }

    private void refuse(RoutingContext context, int status, String title, String detail, Long retryAfterSeconds) {
        var response = context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (retryAfterSeconds != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        }
        try {
            response.end(mapper.writeValueAsString(new Problem("about:blank", title, status, detail,
                    context.normalizedPath(), null, null)));
        } catch (JsonProcessingException e) {
            response.end();
        }
    }
}
