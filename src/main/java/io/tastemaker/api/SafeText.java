package io.tastemaker.api;

/**
 * Text no endpoint accepts: NUL characters (PostgreSQL cannot store them and C-based tools
 * truncate at them) and unpaired UTF-16 surrogates (not Unicode: they cannot be encoded as
 * UTF-8 and would fail or be mangled wherever the text goes next).
 */
public final class SafeText {

    private SafeText() {
    }

    /** What is wrong with {@code text}, or null when nothing is. */
    public static String problem(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return "must not contain NUL characters";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must be valid Unicode text (it holds an unpaired surrogate)";
            }
            if (Character.isLowSurrogate(c)) {
                return "must be valid Unicode text (it holds an unpaired surrogate)";
            }
        }
        return null;
    }
}
