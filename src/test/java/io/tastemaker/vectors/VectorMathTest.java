package io.tastemaker.vectors;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VectorMathTest {

    @Test
    void dot_and_cosine_match_the_plain_double_sums_for_every_length() {
        Random random = new Random(7);
        for (int length = 0; length <= 400; length += 1 + random.nextInt(9)) { // lengths off the 8-lane stride too
            float[] a = new float[length];
            float[] b = new float[length];
            double dot = 0, na = 0, nb = 0;
            for (int i = 0; i < length; i++) {
                a[i] = (float) random.nextGaussian();
                b[i] = (float) random.nextGaussian();
                dot += (double) a[i] * b[i];
                na += (double) a[i] * a[i];
                nb += (double) b[i] * b[i];
            }
            assertThat((double) VectorMath.dot(a, b)).as("length %d", length).isCloseTo(dot, within(1e-4 * Math.max(1, length)));
            // both ways a JVM may compute it: with the vector module (as tests and the run command start) and without
            assertThat((double) SimdDot.dot(a, b)).as("SIMD, length %d", length).isCloseTo(dot, within(1e-4 * Math.max(1, length)));
            assertThat((double) VectorMath.scalarDot(a, b)).as("scalar, length %d", length).isCloseTo(dot, within(1e-4 * Math.max(1, length)));
            double cosine = na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
            assertThat(VectorMath.cosine(a, b)).as("length %d", length).isCloseTo(cosine, within(1e-5));
        }
    }

    @Test
    void the_tests_run_the_simd_path_the_service_runs() {
        // surefire starts the JVM with --add-modules jdk.incubator.vector, as the README's run command does
        assertThat(VectorMath.SIMD).isTrue();
        assertThat(VectorMath.describe()).startsWith("SIMD, ");
    }

    @Test
    void a_zero_vector_has_no_direction() {
        assertThat(VectorMath.cosine(new float[]{0, 0, 0}, new float[]{1, 2, 3})).isZero();
        assertThat(VectorMath.norm(new float[]{3, 4})).isEqualTo(5.0);
    }
}
