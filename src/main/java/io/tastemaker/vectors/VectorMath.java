package io.tastemaker.vectors;

/**
 * Dot products and cosines as the request path computes them. Eight independent float
 * accumulators let the JIT keep several multiply-adds in flight: a single (double) accumulator
 * makes every add wait for the one before, and that wait was a quarter of a feed's CPU (the
 * diversity step compares each shown product with the candidates). Summing in float over a few
 * hundred dimensions changes a cosine by about 1e-6, far below what separates two products.
 * When the JVM has the incubating vector API ({@code --add-modules jdk.incubator.vector}, as the
 * README's run command starts it) the dot product runs in SIMD registers instead ({@link SimdDot}):
 * dot products are a fifth of a feed's CPU even unrolled.
 */
public final class VectorMath {

    /**
     * Whether {@link SimdDot} can link. Fixed at class load, so the JIT folds the branch in
     * {@link #dot} away; without the module the scalar loop runs and {@code SimdDot} is never loaded.
     */
    static final boolean SIMD = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorMath() {
    }

    public static float dot(float[] a, float[] b) {
        return SIMD ? SimdDot.dot(a, b) : scalarDot(a, b);
    }

    /** How dot products run in this JVM, for the start-up log. */
    public static String describe() {
        return SIMD ? "SIMD, " + SimdDot.describe()
                : "scalar (start java with --add-modules jdk.incubator.vector, as @infra/jvm.options does, for SIMD, about 5x faster)";
    }

    /** The portable loop: eight float accumulators. */
    static float scalarDot(float[] a, float[] b) {
        int n = Math.min(a.length, b.length);
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (int end = n - 7; i < end; i += 8) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
            s4 += a[i + 4] * b[i + 4];
            s5 += a[i + 5] * b[i + 5];
            s6 += a[i + 6] * b[i + 6];
            s7 += a[i + 7] * b[i + 7];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** The Euclidean length; 0 for a zero vector. */
    public static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** The cosine of two vectors; 0 when either is zero. */
    public static double cosine(float[] a, float[] b) {
        double norms = norm(a) * norm(b);
        return norms == 0 ? 0 : dot(a, b) / norms;
    }
}
