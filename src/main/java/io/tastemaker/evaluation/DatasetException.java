package io.tastemaker.evaluation;

import java.nio.file.Path;

/** A dataset directory or file {@code evaluate} cannot read; the message names what is missing or where. */
public final class DatasetException extends RuntimeException {

    public DatasetException(String message) {
        super(message);
    }

    static DatasetException at(Path file, int line, String problem) {
        return new DatasetException(file + " line " + line + ": " + problem);
    }
}
