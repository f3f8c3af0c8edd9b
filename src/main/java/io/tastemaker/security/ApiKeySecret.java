package io.tastemaker.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The secret half of an API key: {@code tm_live_} followed by 256 random bits (URL-safe
 * Base64), readable in a config file and recognisable by secret scanners. Only its SHA-256 is
 * stored: with 256 random bits there is nothing to brute-force, so a slow password hash would
 * only add latency to every request.
 */
public final class ApiKeySecret {

    public static final String PREFIX = "tm_live_";
    /** How many characters of a secret are kept in clear to tell keys apart ({@code tm_live_AbCd}). */
    static final int DISPLAY_LENGTH = PREFIX.length() + 4;
    private static final Pattern SHAPE = Pattern.compile("tm_live_[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecret() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code text} has the shape of a secret this service issues (says nothing of its validity). */
    public static boolean looksLikeOne(String text) {
        return text != null && SHAPE.matcher(text).matches();
    }

    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static String displayPrefix(String secret) {
        return secret.substring(0, DISPLAY_LENGTH);
    }

    /** The secret a file holds (a mounted secret, a key the embedded runtime kept); empty if it holds none. */
    static Optional<String> read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String secret = Files.readString(file).strip();
            return looksLikeOne(secret) ? Optional.of(secret) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key file " + file, e);
        }
    }

    /** Writes a secret to a file only its owner can read (replacing it), creating its folder. */
    static void writeOwnerOnly(Path file, String secret) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
