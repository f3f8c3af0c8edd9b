package io.tastemaker.vectors;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The embedded {@link VectorStore}: one Lucene index directory per collection under {@code root},
 * and the aliases in {@code root/aliases.properties}, replaced by an atomic file move so a crash
 * leaves either the old or the new alias table.
 */
public final class LuceneVectorStore implements VectorStore {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path root;
    private final Map<String, LuceneVectorIndex> open = new HashMap<>();

    public LuceneVectorStore(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the vector store in " + root, e);
        }
    }

    @Override
    public synchronized VectorIndex collection(String name, int dimension) {
        checkName(name);
        return open.computeIfAbsent(name, n -> LuceneVectorIndex.open(root.resolve(n)));
    }

    @Override
    public synchronized void pointAlias(String alias, String collection) {
        checkName(alias);
        if (!collections().contains(collection)) {
            throw new IllegalArgumentException("no collection named '" + collection + "'");
        }
        Properties aliases = readAliases();
        aliases.setProperty(alias, collection);
        writeAliases(aliases);
    }

    @Override
    public synchronized Optional<String> aliasTarget(String alias) {
        return Optional.ofNullable(readAliases().getProperty(alias));
    }

    @Override
    public synchronized Set<String> collections() {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void drop(String collection) {
        checkName(collection);
        LuceneVectorIndex index = open.remove(collection);
        if (index != null) {
            index.close();
        }
        Properties aliases = readAliases();
        if (aliases.values().removeIf(collection::equals)) {
            writeAliases(aliases);
        }
        Path dir = root.resolve(collection);
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete collection " + collection, e);
            }
        }
    }

    @Override
    public boolean healthy() {
        return Files.isDirectory(root);
    }

    @Override
    public synchronized void close() {
        open.values().forEach(LuceneVectorIndex::close);
        open.clear();
    }

    private Properties readAliases() {
        Properties aliases = new Properties();
        Path file = root.resolve("aliases.properties");
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                aliases.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return aliases;
    }

    private void writeAliases(Properties aliases) {
        Path tmp = root.resolve("aliases.properties.tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                aliases.store(out, "alias -> collection");
            }
            Files.move(tmp, root.resolve("aliases.properties"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write aliases in " + root, e);
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("collection and alias names are 1-128 of letters, digits, '.', '_', '-'");
        }
    }
}
