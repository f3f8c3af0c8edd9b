package io.tastemaker.models.experiments;

import io.tastemaker.embedding.ActiveModel.Serving;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * A running A/B experiment as this instance applies it: {@code basisPoints} of 10,000 shoppers
 * (by a hash of the experiment id and the user id: stable across requests and instances, and
 * a ramp-up keeps everyone already in the treatment there) are served with {@code treatment};
 * the others, and anonymous requests, with the active version. Lists served are counted here
 * until {@link Experiments} writes them to PostgreSQL. {@link Assignments} holds the running one,
 * so that every request can be assigned without a query.
 */
public final class Split {

    private final long id;
    private volatile int basisPoints;
    private final Serving treatment;
    private final Instant startedAt;
    private final LongAdder[] lists = {new LongAdder(), new LongAdder()};
    private final LongAdder[] items = {new LongAdder(), new LongAdder()};

    public Split(long id, int basisPoints, Serving treatment, Instant startedAt) {
        this.id = id;
        this.treatment = treatment;
        this.startedAt = startedAt;
        rampTo(basisPoints);
    }

    /** Changes the treatment's share; shoppers already in the treatment stay there when it grows. */
    public void rampTo(int basisPoints) {
        if (basisPoints < 1 || basisPoints > 10_000) {
            throw new IllegalArgumentException("basisPoints must be 1..10000, got " + basisPoints);
        }
        this.basisPoints = basisPoints;
    }

    public long id() {
        return id;
    }

    public int basisPoints() {
        return basisPoints;
    }

    public Serving treatment() {
        return treatment;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Variant variantOf(String userId) {
        return bucket(id, userId) < basisPoints ? Variant.TREATMENT : Variant.CONTROL;
    }

    /** 0..9999 from SHA-256 of the experiment and the user: uniform, and the same on every instance. */
    public static int bucket(long experimentId, String userId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((experimentId + ":" + userId).getBytes(StandardCharsets.UTF_8));
            long value = ((digest[0] & 0xffL) << 24) | ((digest[1] & 0xffL) << 16) | ((digest[2] & 0xffL) << 8)
                    | (digest[3] & 0xffL);
            return (int) (value % 10_000);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A list of {@code shown} items was served to a shopper in {@code variant}. */
    public void served(Variant variant, int shown) {
        lists[variant.ordinal()].increment();
        items[variant.ordinal()].add(shown);
    }

    /** Lists and items served since the last call, per variant: {lists, items}. */
    public long[] drainServed(Variant variant) {
        return new long[]{lists[variant.ordinal()].sumThenReset(), items[variant.ordinal()].sumThenReset()};
    }

    /** Puts back what {@link #drainServed} returned when it could not be written. */
    public void undrain(Variant variant, long[] served) {
        lists[variant.ordinal()].add(served[0]);
        items[variant.ordinal()].add(served[1]);
    }
}
