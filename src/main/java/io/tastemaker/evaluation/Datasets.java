package io.tastemaker.evaluation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Finds which dataset layout a directory holds, from its file names alone, and reads it:
 * <ul>
 *   <li>{@link Layout#S3REC}: {@code <Name>.txt} (one line per user: {@code user item item ...}, in
 *   time order) and {@code items.tsv} ({@code item_id asin title ...}), as S3-Rec published Amazon Beauty;</li>
 *   <li>{@link Layout#RECBOLE}: RecBole atomic files {@code <name>.inter} and {@code <name>.item}
 *   ({@link RecBoleFiles});</li>
 *   <li>{@link Layout#EXPORT}: the service's own {@code engagement.ndjson} and {@code products.ndjson}
 *   ({@link EngagementExport}).</li>
 * </ul>
 * Each file may be gzipped ({@code .gz}). A directory with none of them, with two layouts, or with
 * a layout missing a file is refused naming what is missing; a line that cannot be read names its
 * file and line number ({@link DatasetException}).
 */
public final class Datasets {

    /** The layouts {@code evaluate} recognises. */
    public enum Layout {
        S3REC("S3-Rec layout"), RECBOLE("RecBole atomic files"), EXPORT("Tastemaker engagement export");

        private final String label;

        Layout(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** How raw rows become interactions: {@code minRating} (RecBole only) keeps rows rated at least that. */
    public record Options(Double minRating) {
        public static final Options DEFAULT = new Options(null);
    }

    /** What was read, and how: {@code notes} state the choices made (text fields, implicit feedback, skipped rows). */
    public record Dataset(Layout layout, String name, Interactions interactions, List<String> notes) {
    }

    static final String EXPECTED = "<Name>.txt[.gz] + items.tsv[.gz] (S3-Rec layout), <name>.inter[.gz] + "
            + "<name>.item[.gz] (RecBole atomic files) or engagement.ndjson[.gz] + products.ndjson[.gz] "
            + "(Tastemaker engagement export)";

    private Datasets() {
    }

    /** Reads the directory and says what it read on {@code out}. */
    public static Dataset read(Path dir, Options options, PrintStream out) throws IOException {
        Dataset dataset = read(dir, options);
        Interactions data = dataset.interactions();
        long interactions = data.sequences().stream().mapToLong(s -> s.length).sum();
        out.printf("Read %s (%s) from %s: %d shoppers, %d items, %d interactions, %d titles%n", dataset.name(),
                dataset.layout().label(), dir, data.sequences().size(), data.itemCount(), interactions,
                data.titles().size());
        dataset.notes().forEach(note -> out.println("  " + note));
        return dataset;
    }

    /** Recognises the layout from the file names and reads it. */
    public static Dataset read(Path dir, Options options) throws IOException {
        Layout layout = detect(dir);
        if (options.minRating() != null && layout != Layout.RECBOLE) {
            throw new DatasetException("--min-rating applies to RecBole files with a rating column; " + dir
                    + " holds the " + layout.label());
        }
        Listing files = Listing.of(dir);
        return switch (layout) {
            case S3REC -> readS3Rec(files.one(".txt"), files.required("items.tsv"));
            case RECBOLE -> {
                Path inter = files.one(".inter");
                String name = Listing.stem(inter, ".inter");
                yield RecBoleFiles.read(name, inter, files.required(name + ".item"), options);
            }
            case EXPORT -> EngagementExport.read(files.required(EngagementExport.ENGAGEMENT),
                    files.required(EngagementExport.PRODUCTS));
        };
    }

    /** Which layout the directory's file names say it holds. */
    public static Layout detect(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException("No dataset directory " + dir.toAbsolutePath() + ": expected one holding " + EXPECTED);
        }
        Listing files = Listing.of(dir);
        List<Layout> found = new ArrayList<>();
        if (files.has(EngagementExport.ENGAGEMENT) || files.has(EngagementExport.PRODUCTS)) {
            found.add(Layout.EXPORT);
        }
        if (!files.ending(".inter").isEmpty()) {
            found.add(Layout.RECBOLE);
        }
        // a stray notes.txt beside another layout's files is not an S3-Rec dataset; items.tsv makes it one
        if (files.has("items.tsv") || (found.isEmpty() && !files.ending(".txt").isEmpty())) {
            found.add(Layout.S3REC);
        }
        if (found.isEmpty()) {
            throw new DatasetException("No recognised dataset layout in " + dir.toAbsolutePath() + ": expected " + EXPECTED);
        }
        if (found.size() > 1) {
            throw new DatasetException("More than one dataset layout in " + dir.toAbsolutePath() + ": "
                    + found.stream().map(Layout::label).toList() + "; point evaluate at a directory holding one");
        }
        return found.get(0);
    }

    private static Dataset readS3Rec(Path sequencesFile, Path itemsFile) throws IOException {
        String name = Listing.stem(sequencesFile, ".txt");
        List<int[]> sequences = new ArrayList<>();
        int maxItem = 0;
        try (BufferedReader lines = open(sequencesFile)) {
            int number = 0;
            for (String line; (line = lines.readLine()) != null; ) {
                number++;
                String[] ids = line.trim().split("\\s+");
                if (ids.length < 2) {
                    continue;
                }
                int[] items = new int[ids.length - 1];
                for (int i = 1; i < ids.length; i++) {
                    items[i - 1] = positive(ids[i], sequencesFile, number, "item id");
                    maxItem = Math.max(maxItem, items[i - 1]);
                }
                sequences.add(items);
            }
        }
        Map<Integer, String> titles = new TreeMap<>();
        try (BufferedReader lines = open(itemsFile)) {
            lines.readLine(); // header
            int number = 1;
            for (String line; (line = lines.readLine()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                titles.put(positive(cols[0], itemsFile, number, "item_id"), cols.length > 2 ? cols[2] : "");
            }
        }
        return new Dataset(Layout.S3REC, name, new Interactions(maxItem, sequences, titles, name),
                List.of("Product text: the title (third column of " + itemsFile.getFileName() + "), category \""
                        + name + "\"", "Implicit feedback: every item of a user's line is an interaction, in line order"));
    }

    private static int positive(String text, Path file, int line, String what) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw DatasetException.at(file, line, what + " must be a whole number of at least 1, got '" + text + "'");
    }

    /** A file's lines, gunzipped when its name ends in {@code .gz}. */
    static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    /** The regular files of a directory by name without {@code .gz}. */
    private record Listing(Path dir, Map<String, List<Path>> byName) {

        static Listing of(Path dir) throws IOException {
            Map<String, List<Path>> byName = new TreeMap<>();
            try (Stream<Path> list = Files.list(dir)) {
                list.filter(Files::isRegularFile).sorted().forEach(p -> {
                    String name = p.getFileName().toString();
                    byName.computeIfAbsent(name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name,
                            k -> new ArrayList<>()).add(p);
                });
            }
            return new Listing(dir, byName);
        }

        boolean has(String name) {
            return byName.containsKey(name);
        }

        List<String> ending(String suffix) {
            return byName.keySet().stream().filter(n -> n.endsWith(suffix) && n.length() > suffix.length()).toList();
        }

        Path required(String name) {
            List<Path> paths = byName.get(name);
            if (paths == null) {
                throw new DatasetException("No " + name + "[.gz] in " + dir.toAbsolutePath() + ": expected " + EXPECTED);
            }
            if (paths.size() > 1) {
                throw new DatasetException("Both " + name + " and " + name + ".gz in " + dir.toAbsolutePath()
                        + "; keep one");
            }
            return paths.get(0);
        }

        Path one(String suffix) {
            List<String> names = ending(suffix);
            if (names.isEmpty()) {
                throw new DatasetException("No *" + suffix + "[.gz] in " + dir.toAbsolutePath() + ": expected " + EXPECTED);
            }
            if (names.size() > 1) {
                throw new DatasetException("More than one *" + suffix + " file in " + dir.toAbsolutePath() + ": "
                        + names + "; keep one");
            }
            return required(names.get(0));
        }

        static String stem(Path file, String suffix) {
            String name = file.getFileName().toString();
            name = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
            return name.substring(0, name.length() - suffix.length());
        }
    }
}
