package io.tastemaker.models.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How the training-data exports stream: rows are read a page at a time in key order (the next
 * page starts after the last row of the previous one), turned into lines and written as NDJSON,
 * so an export of millions of rows holds one page in memory.
 */
final class NdjsonPages {

    static final String NDJSON = "application/x-ndjson";
    static final int PAGE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Up to {@code limit} rows after {@code last} (from the start when null), in key order. */
    interface Pages<R> {
        List<R> after(R last, int limit);
    }

    /** The lines of one page, as objects written one JSON document a line; a row may make none or several. */
    interface Lines<R> {
        List<?> of(List<R> page);
    }

    /** What an export writes. */
    interface Body {
        void write(Writer out) throws IOException;
    }

    private NdjsonPages() {
    }

    static StreamingOutput stream(Body body) {
        return output -> {
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
            body.write(out);
            out.flush();
        };
    }

    /** Writes up to {@code max} lines, page by page; returns how many. */
    static <R> long write(Writer out, Pages<R> pages, Lines<R> lines, long max) throws IOException {
        long written = 0;
        R last = null;
        while (written < max) {
            List<R> page = pages.after(last, PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (Object line : lines.of(page)) {
                if (written == max) {
                    break;
                }
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
                written++;
            }
            last = page.get(page.size() - 1);
        }
        return written;
    }
}
