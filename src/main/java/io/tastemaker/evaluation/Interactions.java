package io.tastemaker.evaluation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Shoppers' interaction sequences (oldest first) over items numbered 1..itemCount, with item
 * titles: what an offline evaluation replays. Read from a path, never copied into the project.
 */
public record Interactions(int itemCount, List<int[]> sequences, Map<Integer, String> titles) {

    /**
     * The Amazon Beauty 2014 split as S3-Rec published it: {@code Beauty.txt.gz} (one line per user:
     * {@code user item item ...}) and {@code items.tsv.gz} ({@code item_id asin title ...}).
     */
    public static Interactions readBeauty(Path dir) throws IOException {
        List<int[]> sequences = new ArrayList<>();
        int maxItem = 0;
        try (BufferedReader lines = gzipLines(dir.resolve("Beauty.txt.gz"))) {
            for (String line; (line = lines.readLine()) != null; ) {
                String[] ids = line.trim().split("\\s+");
                if (ids.length < 2) {
                    continue;
                }
                int[] items = new int[ids.length - 1];
                for (int i = 1; i < ids.length; i++) {
                    items[i - 1] = Integer.parseInt(ids[i]);
                    maxItem = Math.max(maxItem, items[i - 1]);
                }
                sequences.add(items);
            }
        }
        Map<Integer, String> titles = new HashMap<>();
        Path items = dir.resolve("items.tsv.gz");
        if (Files.exists(items)) {
            try (BufferedReader lines = gzipLines(items)) {
                lines.readLine(); // header
                for (String line; (line = lines.readLine()) != null; ) {
                    String[] cols = line.split("\t", -1);
                    titles.put(Integer.parseInt(cols[0]), cols.length > 2 ? cols[2] : "");
                }
            }
        }
        return new Interactions(maxItem, sequences, titles);
    }

    private static BufferedReader gzipLines(Path file) throws IOException {
        InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16);
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
