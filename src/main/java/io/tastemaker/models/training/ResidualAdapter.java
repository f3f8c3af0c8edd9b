package io.tastemaker.models.training;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fine-tuned embedding model as a residual linear map over a base model's vectors:
 * {@code e ↦ (e + W·e) · |e| / |e + W·e|}, i.e. {@code normalize(e + W·e)} for the unit-length
 * vectors the base models emit. Rescaling to the base vector's own length (rather than to 1)
 * makes the untrained adapter ({@code W = 0}) exactly the identity, bit for bit, so an adapter
 * version that learnt nothing serves exactly what its base serves.
 * <p>
 * {@code W} is kept column by column ({@code columns[c * d + r] = W[r][c]}): applying it is then
 * a sum of contiguous scaled columns, which the JIT vectorises.
 */
public final class ResidualAdapter {

    /** Version of the file layout written by {@link #save}; {@link #load} refuses others. */
    public static final int FORMAT_VERSION = 1;
    private static final int MAGIC = 0x544D4144; // "TMAD"

    private final String baseModel;
    private final int dimension;
    private final float[] columns;
    private final Map<String, String> hyperParameters;

    /** An adapter with these weights: W column-major ({@code columns[c * dimension + r]} = W[r][c]). */
    public ResidualAdapter(String baseModel, int dimension, float[] columns, Map<String, String> hyperParameters) {
        if (dimension <= 0 || columns.length != dimension * dimension) {
            throw new IllegalArgumentException("W must be " + dimension + " x " + dimension);
        }
        this.baseModel = baseModel;
        this.dimension = dimension;
        this.columns = columns;
        this.hyperParameters = Collections.unmodifiableMap(new TreeMap<>(hyperParameters));
    }

    /** The untrained adapter over a base model: W = 0, the identity. */
    public static ResidualAdapter identity(String baseModel, int dimension) {
        return new ResidualAdapter(baseModel, dimension, new float[dimension * dimension], Map.of());
    }

    public String baseModel() {
        return baseModel;
    }

    public int dimension() {
        return dimension;
    }

    /** How it was trained (temperature, learning rate, epochs, pair window...), as recorded in its file. */
    public Map<String, String> hyperParameters() {
        return hyperParameters;
    }

    /** W[row][column]. */
    public float weight(int row, int column) {
        return columns[column * dimension + row];
    }

    /** This adapter with other recorded hyper-parameters (same weights). */
    public ResidualAdapter describedBy(Map<String, String> hyperParameters) {
        return new ResidualAdapter(baseModel, dimension, columns, hyperParameters);
    }

    /** The adapted vector of a base vector (a new array; the argument is not changed). */
    public float[] apply(float[] base) {
        if (base.length != dimension) {
            throw new IllegalArgumentException("expected a " + dimension + "-dimensional vector, got " + base.length);
        }
        float[] u = base.clone();
        addProduct(columns, dimension, base, u);
        double baseLength = length(base);
        double length = length(u);
        if (length == 0 || baseLength == 0) {
            return u;
        }
        float scale = (float) (baseLength / length);
        if (scale != 1f) {
            for (int i = 0; i < u.length; i++) {
                u[i] *= scale;
            }
        }
        return u;
    }

    /** {@code u += W·e} with W given by columns. */
    static void addProduct(float[] columns, int d, float[] e, float[] u) {
        for (int c = 0; c < d; c++) {
            float ec = e[c];
            if (ec == 0f) {
                continue;
            }
            int offset = c * d;
            for (int r = 0; r < d; r++) {
                u[r] += ec * columns[offset + r];
            }
        }
    }

    static double length(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    /**
     * Writes the adapter: magic "TMAD", format version, base model name, dimension, the
     * hyper-parameters (count, then key/value strings), then the d×d floats of W column by column
     * (big-endian). About 590 KB for a 384-dimensional base.
     */
    public void save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)))) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeUTF(baseModel);
            out.writeInt(dimension);
            out.writeInt(hyperParameters.size());
            for (Map.Entry<String, String> e : hyperParameters.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            for (float f : columns) {
                out.writeFloat(f);
            }
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static ResidualAdapter load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** An adapter from the bytes {@link #save} wrote (as the registry keeps them). */
    public static ResidualAdapter fromBytes(byte[] content, String name) throws IOException {
        return read(new java.io.ByteArrayInputStream(content), name);
    }

    private static ResidualAdapter read(InputStream stream, String name) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
        if (in.readInt() != MAGIC) {
            throw new IOException(name + " is not a Tastemaker adapter file");
        }
        int version = in.readInt();
        if (version != FORMAT_VERSION) {
            throw new IOException(name + " has adapter format " + version + "; this build reads " + FORMAT_VERSION);
        }
        String baseModel = in.readUTF();
        int dimension = in.readInt();
        if (dimension <= 0 || dimension > 16_384) {
            throw new IOException(name + ": implausible dimension " + dimension);
        }
        int count = in.readInt();
        Map<String, String> hyper = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            hyper.put(in.readUTF(), in.readUTF());
        }
        float[] columns = new float[dimension * dimension];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = in.readFloat();
        }
        return new ResidualAdapter(baseModel, dimension, columns, hyper);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResidualAdapter a && a.baseModel.equals(baseModel) && a.dimension == dimension
                && a.hyperParameters.equals(hyperParameters) && Arrays.equals(a.columns, columns);
    }

    @Override
    public int hashCode() {
        return baseModel.hashCode() * 31 + Arrays.hashCode(columns);
    }

    @Override
    public String toString() {
        return "ResidualAdapter[" + baseModel + ", " + dimension + " dims, " + hyperParameters + "]";
    }
}
