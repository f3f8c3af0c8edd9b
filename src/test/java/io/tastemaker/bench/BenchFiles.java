package io.tastemaker.bench;

import io.tastemaker.embedding.ActiveModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the load benchmark keeps its catalog, and how its tools read the sample files. */
final class BenchFiles {

    static final String MODEL_VERSION = ActiveModel.DEFAULT_VERSION;
    static final String IDS = "bench-ids.txt";
    static final String QUERIES = "bench-queries.txt";
    static final String MARKER = "bench-catalog.properties";

    private BenchFiles() {
    }

    /** Exactly where embedding.ServingCollection opens the index for the default model. */
    static Path indexDir(Path dataDir) {
        return dataDir.resolve("vectors").resolve("products-" + MODEL_VERSION);
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    static long sizeOnDisk(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
