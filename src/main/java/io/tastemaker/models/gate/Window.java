package io.tastemaker.models.gate;

import java.time.Instant;

/**
 * The time split a verdict was judged on: training engagement before {@code cutOff}; weights chosen
 * on engagement in [{@code cutOff}, {@code validationEnd}); scores on [{@code validationEnd}, {@code end}].
 */
public record Window(Instant cutOff, Instant validationEnd, Instant end) {
}
