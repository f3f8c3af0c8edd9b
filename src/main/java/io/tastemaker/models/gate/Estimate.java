package io.tastemaker.models.gate;

/** A mean over shoppers with its 95 % confidence interval. */
public record Estimate(double value, double low, double high) {
}
