package io.tastemaker.security;

/**
 * A token bucket: {@code perSecond} tokens flow in, up to {@code capacity}; a request takes one.
 * Plain Java over a caller-supplied clock so its arithmetic is tested without waiting.
 */
final class TokenBucket {

    private final double perNano;
    private final double capacity;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, double capacity, long nowNanos) {
        this.perNano = perSecond / 1e9;
        this.capacity = capacity;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Takes a token: 0 when there was one, else how many nanoseconds until there will be. */
    synchronized long take(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / perNano);
    }
}
