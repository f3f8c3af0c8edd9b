package io.tastemaker.models.training;

/**
 * One example for the adapter: an anchor item, an item that belongs with it (engaged with close
 * after it), and how much the example counts. Items are rows of the base-vector table the
 * trainer is given, so each text is embedded by the base model once, however often it recurs.
 */
public record TrainingPair(int anchor, int positive, double weight) {

    public TrainingPair {
        if (anchor < 0 || positive < 0) {
            throw new IllegalArgumentException("item rows are non-negative");
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be positive, was " + weight);
        }
    }
}
