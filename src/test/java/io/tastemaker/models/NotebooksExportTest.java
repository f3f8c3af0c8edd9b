package io.tastemaker.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exported notebooks are valid nbformat 4 (what Jupyter, VS Code and GitHub need to open
 * them), each has its rendered Markdown beside it, and every picture that Markdown shows exists.
 */
class NotebooksExportTest {

    private static final Path DIR = Path.of("notebooks-export");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CELL_TYPES = Set.of("markdown", "code", "raw");
    private static final Pattern CELL_ID = Pattern.compile("[a-zA-Z0-9-_]{1,64}");
    private static final Pattern IMAGE = Pattern.compile("!\\[[^]]*]\\(([^)\\s]+)\\)");

    @Test
    void every_notebook_is_valid_nbformat_4_with_its_rendered_markdown_beside_it() throws IOException {
        List<Path> notebooks = notebooks();
        assertThat(notebooks).extracting(p -> p.getFileName().toString())
                .contains("fine-tune-embedding-model.ipynb", "evaluation-report.ipynb");
        for (Path notebook : notebooks) {
            JsonNode nb = JSON.readTree(notebook.toFile());
            String name = notebook.getFileName().toString();
            assertThat(nb.path("nbformat").asInt()).as(name).isEqualTo(4);
            int minor = nb.path("nbformat_minor").asInt(-1);
            assertThat(minor).as(name).isGreaterThanOrEqualTo(4);
            assertThat(nb.path("metadata").path("kernelspec").path("name").asText()).as(name).isNotBlank();
            assertThat(nb.path("metadata").path("language_info").path("name").asText()).as(name).isEqualTo("python");
            JsonNode cells = nb.path("cells");
            assertThat(cells.isArray() && cells.size() > 0).as(name + " has cells").isTrue();
            assertThat(cells.get(0).path("cell_type").asText()).as(name + " opens with its purpose").isEqualTo("markdown");
            for (JsonNode cell : cells) {
                String type = cell.path("cell_type").asText();
                assertThat(CELL_TYPES).as(name).contains(type);
                assertThat(cell.path("metadata").isObject()).as(name + " cell metadata").isTrue();
                assertThat(cell.path("source").isTextual() || cell.path("source").isArray()).as(name + " source").isTrue();
                if (minor >= 5) {
                    assertThat(cell.path("id").asText()).as(name + " cell id").matches(CELL_ID);
                }
                if (type.equals("code")) {
                    assertThat(cell.path("outputs").isArray()).as(name + " code outputs").isTrue();
                    JsonNode count = cell.path("execution_count");
                    assertThat(count.isNull() || count.isInt()).as(name + " execution_count").isTrue();
                } else {
                    assertThat(cell.has("outputs")).as(name + " " + type + " cell has no outputs").isFalse();
                }
            }

            Path markdown = DIR.resolve(name.replace(".ipynb", ".md"));
            assertThat(markdown).as("rendered export of " + name).exists();
            String rendered = Files.readString(markdown);
            assertThat(rendered).startsWith(firstLine(cells.get(0)));
            Matcher image = IMAGE.matcher(rendered);
            while (image.find()) {
                assertThat(DIR.resolve(image.group(1))).as("picture in " + markdown).exists();
            }
        }
    }

    private static String firstLine(JsonNode cell) {
        JsonNode source = cell.path("source");
        String text = source.isArray() ? source.get(0).asText() : source.asText();
        return text.lines().findFirst().orElse("");
    }

    private static List<Path> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
    }
}
