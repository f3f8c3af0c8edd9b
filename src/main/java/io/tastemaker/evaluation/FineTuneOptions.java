package io.tastemaker.evaluation;

import io.tastemaker.models.training.CoEngagementPairs;
import io.tastemaker.models.training.NextItemExamples;
import io.tastemaker.recommend.BlendDefaults;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The flags of {@code evaluate <dir> --fine-tune} ({@link FineTuneComparison}); lists
 * (comma-separated) span the validation search. The defaults are the point the validation search
 * on Beauty chose (docs/models-and-quality.md), so a plain {@code --fine-tune} trains once per target; the
 * anchors of next-item examples default to the serving blend's ({@link BlendDefaults}), so the
 * offline recipe and the service cannot drift apart.
 */
final class FineTuneOptions {

    @Option(names = "--fine-tune", required = true,
            description = "compare the base model with an adapter fine-tuned on the shoppers' co-engagement")
    private boolean fineTune;

    @Option(names = "--tau", split = ",", paramLabel = "τ", defaultValue = "0.1",
            description = "temperature of the contrastive loss (default ${DEFAULT-VALUE})")
    private List<Double> temperatures;

    @Option(names = "--lr", split = ",", paramLabel = "RATE", defaultValue = "0.001",
            description = "learning rate (default ${DEFAULT-VALUE})")
    private List<Double> learningRates;

    @Option(names = "--epochs", split = ",", paramLabel = "N", defaultValue = "6",
            description = "epochs; a list is read off one training run (default ${DEFAULT-VALUE})")
    private List<Integer> epochs;

    @Option(names = "--weight-decay", split = ",", paramLabel = "DECAY", defaultValue = "0",
            description = "weight decay (default ${DEFAULT-VALUE})")
    private List<Double> weightDecays;

    @Option(names = "--examples", split = ",", paramLabel = "KIND", defaultValue = "pairs",
            converter = ExamplesConverter.class,
            description = "what the adapter learns from: pairs, links or next (default ${DEFAULT-VALUE})")
    private List<Examples> examples;

    @Option(names = "--window", split = ",", paramLabel = "ITEMS", defaultValue = "2",
            description = "pair window: the next items of the same shopper each item pairs with (default ${DEFAULT-VALUE})")
    private List<Integer> windows;

    @Option(names = "--pair-decay", paramLabel = "DECAY", defaultValue = "0.8",
            description = "weight of each further step inside the pair window (default ${DEFAULT-VALUE})")
    private double pairDecay;

    @Option(names = "--anchors", paramLabel = "N", defaultValue = BlendDefaults.ANCHORS,
            description = "recent distinct items a next-item example starts from (default ${DEFAULT-VALUE}, as served)")
    private int anchors;

    @Option(names = "--anchor-decay", paramLabel = "DECAY", defaultValue = BlendDefaults.ANCHOR_DECAY,
            description = "each older anchor counts this much of the next newer one (default ${DEFAULT-VALUE}, as served)")
    private double anchorDecay;

    @Option(names = "--schedule", split = ",", arity = "1", paramLabel = "SCHEDULE", defaultValue = "constant",
            converter = ScheduleConverter.class,
            description = "learning-rate schedule: constant or cosine (default ${DEFAULT-VALUE})")
    private List<Boolean> cosine;

    @Option(names = "--log-q", split = ",", paramLabel = "STRENGTH", defaultValue = "1", converter = LogQConverter.class,
            description = "logQ correction: off (0), on (1) or a strength (default ${DEFAULT-VALUE})")
    private List<Double> logQ;

    @Option(names = "--batch", paramLabel = "SIZE", defaultValue = "512", description = "batch size (default ${DEFAULT-VALUE})")
    private int batchSize;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "7", description = "random seed (default ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--search-shoppers", paramLabel = "N", defaultValue = "8000",
            description = "shoppers sampled for the validation search; 0 for all (default ${DEFAULT-VALUE})")
    private int searchShoppers;

    @Option(names = "--search-only", description = "stop after the validation search")
    private boolean searchOnly;

    @Option(names = "--adapter-out", paramLabel = "FILE", description = "save the adapter trained for the test pass")
    private Path adapterOut;

    @Option(names = "--json", paramLabel = "FILE", description = "write a machine-readable report")
    private Path json;

    @Option(names = "--adapter-cache", paramLabel = "DIR",
            description = "reuse the validation and test adapters saved in DIR (validation.adapter, test.adapter),"
                    + " or train them once (one grid point only) and save them there")
    private Path adapterCache;

    @Option(names = "--skip-base", description = "evaluate the fine-tuned adapter only (the base model's run is plain evaluate)")
    private boolean skipBase;

    @Option(names = "--train-only", description = "stop once both adapters are trained (with --adapter-cache: fill it)")
    private boolean trainOnly;

    /** The flags alone, as {@code evaluate} reads them; a wrong one is an {@link IllegalArgumentException}. */
    static FineTuneOptions parse(List<String> args) {
        FineTuneOptions options = new FineTuneOptions();
        try {
            new CommandLine(options).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return options;
    }

    /** What the adapter learns from. */
    enum Examples {
        /** Each item and the next {@code --window} items of the same shopper, one pair per co-occurrence. */
        PAIRS,
        /**
         * The service's co-engagement links ({@code CoEngagement} with the service's window and step
         * decay, replayed over the training part), each distinct link one pair weighted as the
         * built-in fine-tuning weighs it ({@link CoEngagementPairs#fromLink}).
         */
        LINKS,
        /** Each item from the {@code --anchors} recent distinct items before it ({@link NextItemExamples}). */
        NEXT
    }

    static final class ExamplesConverter implements ITypeConverter<Examples> {
        @Override
        public Examples convert(String name) {
            try {
                return Examples.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("--examples is pairs, links or next, not " + name);
            }
        }
    }

    /** True for the cosine schedule. */
    static final class ScheduleConverter implements ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String schedule) {
            return switch (schedule) {
                case "constant" -> false;
                case "cosine" -> true;
                default -> throw new TypeConversionException("--schedule is constant or cosine, not " + schedule);
            };
        }
    }

    /** "off" is 0, "on" 1 (the unbiased correction), or a strength. */
    static final class LogQConverter implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return switch (value) {
                case "off" -> 0.0;
                case "on" -> 1.0;
                default -> Double.valueOf(value);
            };
        }
    }

    List<Double> temperatures() {
        return temperatures;
    }

    List<Double> learningRates() {
        return learningRates;
    }

    List<Integer> epochs() {
        return epochs;
    }

    List<Double> weightDecays() {
        return weightDecays;
    }

    List<Examples> examples() {
        return examples;
    }

    List<Integer> windows() {
        return windows;
    }

    double pairDecay() {
        return pairDecay;
    }

    int anchors() {
        return anchors;
    }

    double anchorDecay() {
        return anchorDecay;
    }

    List<Boolean> cosine() {
        return cosine;
    }

    List<Double> logQ() {
        return logQ;
    }

    int batchSize() {
        return batchSize;
    }

    long seed() {
        return seed;
    }

    int searchShoppers() {
        return searchShoppers;
    }

    boolean searchOnly() {
        return searchOnly;
    }

    Path adapterOut() {
        return adapterOut;
    }

    Path json() {
        return json;
    }

    Path adapterCache() {
        return adapterCache;
    }

    boolean skipBase() {
        return skipBase;
    }

    boolean trainOnly() {
        return trainOnly;
    }
}
