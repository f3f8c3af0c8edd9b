package io.tastemaker.evaluation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code evaluate <dir>} recognises each layout from its file names and reads small hand-made files. */
class DatasetsTest {

    // columns out of RecBole's usual order, a float field and an unused one: found by name, not position
    private static final String INTER = """
            timestamp:float\titem_id:token\tsession:token\tuser_id:token\trating:float
            300\t10\tx\tu1\t5
            100\t20\tx\tu1\t3
            100\t30\tx\tu1\t4
            50\t20\tx\tu2\t2
            60\t40\tx\tu2\t5
            """;
    private static final String ITEM = """
            item_id:token\tmovie_title:token_seq\tavg_rating:float\trelease_year:token\tclass:token_seq
            10\tToy Story\t3.9\t1995\tAnimation Children's Comedy
            20\tGoldenEye\t3.2\t1995\tAction Adventure Thriller
            30\tFour Rooms\t3.0\t\tThriller
            40\tGet Shorty\t3.5\t1995\tAction Comedy Drama
            50\tCopycat\t3.3\t1995\tCrime Drama Thriller
            """;

    @Test
    void recbole_atomic_files_are_read_by_header_name_in_timestamp_order_with_ties_in_file_order(@TempDir Path dir)
            throws IOException {
        gzip(dir.resolve("ml.inter.gz"), INTER);
        Files.writeString(dir.resolve("ml.item"), ITEM);
        Files.writeString(dir.resolve("README.txt"), "a stray note beside the files is no S3-Rec dataset");

        assertThat(Datasets.detect(dir)).isEqualTo(Datasets.Layout.RECBOLE);
        Datasets.Dataset read = Datasets.read(dir, Datasets.Options.DEFAULT);
        Interactions data = read.interactions();

        assertThat(read.name()).isEqualTo("ml");
        // items numbered in .item order; the whole catalog is ranked, 50 included though nobody rated it
        assertThat(data.itemCount()).isEqualTo(5);
        // u1: 20 and 30 share timestamp 100 and keep their file order, then 10 at 300
        assertThat(data.sequences()).containsExactly(new int[]{2, 3, 1}, new int[]{2, 4});
        assertThat(data.titles()).containsEntry(1, "Toy Story 1995 Animation Children's Comedy")
                .containsEntry(3, "Four Rooms Thriller");
        assertThat(data.productText(1)).isEqualTo("Toy Story 1995 Animation Children's Comedy. Category: ml.");
        assertThat(read.notes()).anyMatch(n -> n.contains("[movie_title, release_year, class]"))
                .anyMatch(n -> n.contains("every rating counts as an interaction (5 rows)"));
    }

    @Test
    void min_rating_keeps_only_ratings_at_least_that_and_says_so(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ml.inter"), INTER);
        Files.writeString(dir.resolve("ml.item"), ITEM);

        Datasets.Dataset read = Datasets.read(dir, new Datasets.Options(4.0));

        assertThat(read.interactions().sequences()).containsExactly(new int[]{3, 1}, new int[]{4});
        assertThat(read.notes()).anyMatch(n -> n.contains("ratings of at least 4.0 count as interactions (3 of 5 rows)"));
    }

    @Test
    void the_s3rec_layout_reads_as_before_with_its_name_as_the_category(@TempDir Path dir) throws IOException {
        gzip(dir.resolve("Beauty.txt.gz"), "1 1 2 3\n2 2 3\n3 4\n");
        Files.writeString(dir.resolve("items.tsv"), "item_id\tasin\ttitle\n1\tA1\tRose lip balm\n2\tA2\tHand cream\n");

        Datasets.Dataset read = Datasets.read(dir, Datasets.Options.DEFAULT);

        assertThat(read.layout()).isEqualTo(Datasets.Layout.S3REC);
        assertThat(read.interactions().itemCount()).isEqualTo(4);
        assertThat(read.interactions().sequences()).containsExactly(new int[]{1, 2, 3}, new int[]{2, 3}, new int[]{4});
        // the text the Beauty figures were measured with: same text, same cached vectors
        assertThat(read.interactions().productText(1)).isEqualTo("Rose lip balm. Category: Beauty.");
        assertThat(read.interactions().productText(4)).isEqualTo("item 4. Category: Beauty.");
    }

    @Test
    void the_services_own_export_is_read_with_its_texts_as_they_are(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("products.ndjson"), """
                {"productId":"lamp","text":"Arc floor lamp. Brand: Lumo. Category: Home."}
                {"productId":"rug","text":"Wool area rug. Category: Home."}
                {"productId":"sofa","text":"Linen sofa. Category: Home."}
                """);
        gzip(dir.resolve("engagement.ndjson.gz"), """
                {"shopper":"s-1","productId":"rug","type":"click","occurredAt":"2026-12-01T10:00:05Z"}
                {"shopper":"s-1","productId":"lamp","type":"view","occurredAt":"2026-12-01T10:00:00Z"}
                {"shopper":"s-2","productId":"gone","type":"view","occurredAt":"2026-12-01T10:00:00Z"}
                {"shopper":"s-2","productId":"sofa","type":"purchase","occurredAt":"2026-12-01T11:00:00Z"}
                """);

        Datasets.Dataset read = Datasets.read(dir, Datasets.Options.DEFAULT);

        assertThat(read.layout()).isEqualTo(Datasets.Layout.EXPORT);
        assertThat(read.interactions().itemCount()).isEqualTo(3);
        assertThat(read.interactions().sequences()).containsExactly(new int[]{1, 2}, new int[]{3});
        assertThat(read.interactions().productText(1)).isEqualTo("Arc floor lamp. Brand: Lumo. Category: Home.");
        assertThat(read.notes()).anyMatch(n -> n.contains("1 engagements with products missing from products.ndjson"));
    }

    @Test
    void a_directory_without_a_recognised_layout_or_missing_a_file_is_named(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Datasets.detect(dir)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("No recognised dataset layout")
                .hasMessageContaining("<name>.inter[.gz] + <name>.item[.gz] (RecBole atomic files)");

        Files.writeString(dir.resolve("ml.inter"), INTER);
        assertThatThrownBy(() -> Datasets.read(dir, Datasets.Options.DEFAULT)).hasMessageContaining("No ml.item[.gz]");

        Files.writeString(dir.resolve("engagement.ndjson"), "");
        assertThatThrownBy(() -> Datasets.read(dir, Datasets.Options.DEFAULT))
                .hasMessageContaining("More than one dataset layout");

        Path s3rec = Files.createDirectory(dir.resolve("s3rec"));
        Files.writeString(s3rec.resolve("Beauty.txt"), "1 1 2\n");
        assertThatThrownBy(() -> Datasets.read(s3rec, Datasets.Options.DEFAULT)).hasMessageContaining("No items.tsv[.gz]");
        Files.writeString(s3rec.resolve("items.tsv"), "item_id\tasin\ttitle\n");
        assertThatThrownBy(() -> Datasets.read(s3rec, new Datasets.Options(4.0)))
                .hasMessageContaining("--min-rating applies to RecBole files");
    }

    @Test
    void a_malformed_line_is_named_by_file_and_line(@TempDir Path dir) throws IOException {
        Path recbole = Files.createDirectory(dir.resolve("recbole"));
        Files.writeString(recbole.resolve("ml.item"), ITEM);
        Files.writeString(recbole.resolve("ml.inter"), INTER.replace("50\t20", "yesterday\t20"));
        assertThatThrownBy(() -> Datasets.read(recbole, Datasets.Options.DEFAULT)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("ml.inter line 5: timestamp must be a number, got 'yesterday'");

        Files.writeString(recbole.resolve("ml.inter"), "user_id:token\titem_id:token\trating:float\nu1\t10\t5\n");
        assertThatThrownBy(() -> Datasets.read(recbole, Datasets.Options.DEFAULT))
                .hasMessageContaining("ml.inter line 1: no timestamp column");

        Path export = Files.createDirectory(dir.resolve("export"));
        Files.writeString(export.resolve("products.ndjson"), "{\"productId\":\"lamp\",\"text\":\"Lamp\"}\n");
        Files.writeString(export.resolve("engagement.ndjson"), "{\"shopper\":\"s-1\",\"productId\":\"lamp\","
                + "\"type\":\"view\",\"occurredAt\":\"2026-12-01T10:00:00Z\"}\n{\"shopper\":\"s-1\",\"productId\":");
        assertThatThrownBy(() -> Datasets.read(export, Datasets.Options.DEFAULT))
                .hasMessageContaining("engagement.ndjson line 2: not a JSON object");

        Path s3rec = Files.createDirectory(dir.resolve("s3rec"));
        Files.writeString(s3rec.resolve("Beauty.txt"), "1 1 2\n2 3 x\n");
        Files.writeString(s3rec.resolve("items.tsv"), "item_id\tasin\ttitle\n");
        assertThatThrownBy(() -> Datasets.read(s3rec, Datasets.Options.DEFAULT))
                .hasMessageContaining("Beauty.txt line 2: item id must be a whole number of at least 1, got 'x'");
    }

    @Test
    void the_evaluate_command_exits_2_naming_what_is_missing(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine evaluate = EvaluateCommand.commandLine().setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("ml.inter"), INTER);

        assertThat(evaluate.execute(dir.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("No ml.item[.gz] in");
    }

    @Test
    void reading_says_which_layout_it_read_and_the_choices_made(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("ml.inter"), INTER);
        Files.writeString(dir.resolve("ml.item"), ITEM);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Datasets.read(dir, Datasets.Options.DEFAULT, new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("Read ml (RecBole atomic files)", "2 shoppers, 5 items, 5 interactions")
                .contains("Implicit feedback: every rating counts as an interaction");
    }

    private static void gzip(Path file, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
