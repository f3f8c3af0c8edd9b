package io.tastemaker.recommend;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids of list answers: 26 characters of Crockford base32, the first ten the serving time in
 * milliseconds and the rest 80 random bits (the ULID layout). Time first keeps the served-list
 * table's primary key growing at its right edge instead of splitting pages all over it; the random
 * part makes ids unique across instances without coordination and hard to guess.
 */
public final class RecommIds {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private RecommIds() {
    }

    public static String next(long epochMillis) {
        char[] id = new char[26];
        for (int i = 9; i >= 0; i--) {
            id[i] = ALPHABET[(int) (epochMillis & 31)];
            epochMillis >>>= 5;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low = random.nextLong();
        for (int i = 10; i < 26; i++) {
            long bits = i < 18 ? high : low;
            id[i] = ALPHABET[(int) (bits >>> ((i - 10) % 8 * 5) & 31)];
        }
        return new String(id);
    }
}
