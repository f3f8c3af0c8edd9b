package io.tastemaker.evaluation;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RecBole atomic files: {@code <name>.inter} and {@code <name>.item}, tab-separated, with a header
 * of {@code field:type} columns. Columns are found by field name, never by position.
 * <ul>
 *   <li>{@code .inter} needs {@code user_id}, {@code item_id} and {@code timestamp}; {@code rating} is
 *   read when {@code --min-rating} asks for it. Each user's rows are ordered by timestamp; rows with
 *   the same timestamp keep their file order (a stable sort).</li>
 *   <li>{@code .item}: the product text is every {@code token} and {@code token_seq} field except
 *   {@code item_id}, in header order, joined by spaces (MovieLens: title, release year, genres:
 *   "Toy Story 1995 Animation Children's Comedy"). Those are the words a shop would put in a title or
 *   category; {@code float} fields (prices, average ratings) are numbers a text model reads poorly,
 *   and would leak other users' ratings into the text. The category is the dataset's name, as
 *   Beauty's is "Beauty", so the text is what the service embeds for such a product.</li>
 * </ul>
 * Items are numbered 1..n in {@code .item} order (the whole catalog is ranked, including items nobody
 * rated), then items rated but missing from {@code .item} (title-less), in order of appearance.
 * Implicit feedback: every row is an interaction, or only rows rated at least {@code minRating}.
 */
final class RecBoleFiles {

    private RecBoleFiles() {
    }

    static Datasets.Dataset read(String name, Path interFile, Path itemFile, Datasets.Options options)
            throws IOException {
        Map<String, Integer> numbers = new LinkedHashMap<>();
        Map<Integer, String> titles = new HashMap<>();
        List<String> textFields = readItems(itemFile, numbers, titles);
        int catalog = numbers.size();

        Map<String, List<Row>> byUser = new LinkedHashMap<>();
        long rows = 0;
        long kept = 0;
        try (BufferedReader lines = Datasets.open(interFile)) {
            Header header = Header.read(lines, interFile);
            int user = header.column("user_id", interFile);
            int item = header.column("item_id", interFile);
            int timestamp = header.column("timestamp", interFile);
            int rating = options.minRating() == null ? -1 : header.column("rating", interFile);
            int needed = Math.max(Math.max(user, item), Math.max(timestamp, rating)) + 1;
            int number = 1;
            for (String line; (line = lines.readLine()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                if (cols.length < needed) {
                    throw DatasetException.at(interFile, number, "expected " + header.fields.size()
                            + " tab-separated columns, found " + cols.length);
                }
                double time = number(cols[timestamp], interFile, number, "timestamp");
                rows++;
                if (rating >= 0 && number(cols[rating], interFile, number, "rating") < options.minRating()) {
                    continue;
                }
                String userId = required(cols[user], interFile, number, "user_id");
                String itemId = required(cols[item], interFile, number, "item_id");
                int itemNumber = numbers.computeIfAbsent(itemId, k -> numbers.size() + 1);
                byUser.computeIfAbsent(userId, k -> new ArrayList<>()).add(new Row(itemNumber, time));
                kept++;
            }
        }
        List<int[]> sequences = new ArrayList<>(byUser.size());
        for (List<Row> userRows : byUser.values()) {
            userRows.sort(Comparator.comparingDouble(Row::time)); // stable: ties keep file order
            sequences.add(userRows.stream().mapToInt(Row::item).toArray());
        }
        List<String> notes = new ArrayList<>();
        notes.add("Product text: the " + itemFile.getFileName() + " fields " + textFields
                + " joined by spaces, category \"" + name + "\"");
        notes.add(options.minRating() == null
                ? "Implicit feedback: every rating counts as an interaction (" + kept + " rows); --min-rating N keeps"
                + " only ratings of at least N"
                : "Implicit feedback: ratings of at least " + options.minRating() + " count as interactions (" + kept
                + " of " + rows + " rows)");
        notes.add("Order: each user's interactions by timestamp, ties in file order");
        if (numbers.size() > catalog) {
            notes.add((numbers.size() - catalog) + " items rated but missing from " + itemFile.getFileName()
                    + ": ranked without a title");
        }
        return new Datasets.Dataset(Datasets.Layout.RECBOLE, name,
                new Interactions(numbers.size(), sequences, titles, name), List.copyOf(notes));
    }

    private record Row(int item, double time) {
    }

    /** Numbers the items of the {@code .item} file in order and builds their texts; answers the text fields used. */
    private static List<String> readItems(Path itemFile, Map<String, Integer> numbers, Map<Integer, String> titles)
            throws IOException {
        try (BufferedReader lines = Datasets.open(itemFile)) {
            Header header = Header.read(lines, itemFile);
            int id = header.column("item_id", itemFile);
            List<Integer> text = new ArrayList<>();
            for (int c = 0; c < header.fields.size(); c++) {
                String type = header.types.get(c);
                if (c != id && (type.equals("token") || type.equals("token_seq"))) {
                    text.add(c);
                }
            }
            int number = 1;
            for (String line; (line = lines.readLine()) != null; ) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cols = line.split("\t", -1);
                if (cols.length <= id) {
                    throw DatasetException.at(itemFile, number, "expected " + header.fields.size()
                            + " tab-separated columns, found " + cols.length);
                }
                String itemId = required(cols[id], itemFile, number, "item_id");
                if (numbers.containsKey(itemId)) {
                    throw DatasetException.at(itemFile, number, "item_id '" + itemId + "' appears twice");
                }
                numbers.put(itemId, numbers.size() + 1);
                StringBuilder title = new StringBuilder();
                for (int c : text) {
                    String value = c < cols.length ? cols[c].trim() : "";
                    if (!value.isEmpty()) {
                        title.append(title.isEmpty() ? "" : " ").append(value);
                    }
                }
                titles.put(numbers.size(), title.toString());
            }
            return text.stream().map(header.fields::get).toList();
        }
    }

    /** The {@code field:type} header of an atomic file. */
    private record Header(List<String> fields, List<String> types) {

        static Header read(BufferedReader lines, Path file) throws IOException {
            String line = lines.readLine();
            if (line == null || line.isBlank()) {
                throw DatasetException.at(file, 1, "no header (expected field:type columns, e.g. user_id:token)");
            }
            List<String> fields = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (String column : line.split("\t", -1)) {
                int colon = column.lastIndexOf(':');
                if (colon < 1) {
                    throw DatasetException.at(file, 1, "header column '" + column + "' is not field:type");
                }
                fields.add(column.substring(0, colon).trim());
                types.add(column.substring(colon + 1).trim());
            }
            return new Header(fields, types);
        }

        int column(String field, Path file) {
            int index = fields.indexOf(field);
            if (index < 0) {
                throw DatasetException.at(file, 1, "no " + field + " column in the header " + fields);
            }
            return index;
        }
    }

    private static double number(String text, Path file, int line, String field) {
        try {
            double value = Double.parseDouble(text.trim());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw DatasetException.at(file, line, field + " must be a number, got '" + text + "'");
    }

    private static String required(String text, Path file, int line, String field) {
        String value = text.trim();
        if (value.isEmpty()) {
            throw DatasetException.at(file, line, "empty " + field);
        }
        return value;
    }
}
