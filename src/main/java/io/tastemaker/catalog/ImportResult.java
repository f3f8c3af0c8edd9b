package io.tastemaker.catalog;

import java.util.List;

/** Outcome of an NDJSON import: what the broker acknowledged, and each rejected line with its reason. */
public record ImportResult(long accepted, long rejected, List<Reject> rejects, boolean rejectsTruncated) {

    public record Reject(long line, String reason) {
    }
}
