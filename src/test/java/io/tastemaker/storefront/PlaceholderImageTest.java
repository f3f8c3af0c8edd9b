package io.tastemaker.storefront;

import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class PlaceholderImageTest {

    private static final Pattern BACKGROUND = Pattern.compile("<rect width=\"240\" height=\"240\" fill=\"(#[0-9a-f]{6})\"/>");

    @Test
    void the_same_product_always_gets_the_same_tile_and_its_neighbours_a_different_shade() {
        String lamp = PlaceholderImage.svg("demo-00001", "Nordlys Brass Floor Lamp", "Home > Lighting > Floor Lamps");
        assertThat(PlaceholderImage.svg("demo-00001", "Nordlys Brass Floor Lamp", "Home > Lighting > Floor Lamps")).isEqualTo(lamp);
        assertThat(background(PlaceholderImage.svg("demo-00029", "Nordlys Brass Floor Lamp", "Home > Lighting > Floor Lamps")))
                .isNotEqualTo(background(lamp));
    }

    @Test
    void the_category_chooses_the_glyph_from_its_most_specific_level() {
        String lamp = glyph(PlaceholderImage.svg("p", null, "Home > Lighting > Floor Lamps"));
        String rug = glyph(PlaceholderImage.svg("p", null, "Home > Decor > Rugs"));
        String tent = glyph(PlaceholderImage.svg("p", null, "Outdoor > Camping > Tents"));
        String notebook = glyph(PlaceholderImage.svg("p", null, "Stationery > Paper > Notebooks"));
        String shelf = glyph(PlaceholderImage.svg("p", null, "Home > Furniture > Bookshelves"));
        assertThat(java.util.Set.of(lamp, rug, tent, notebook, shelf)).hasSize(5);
        assertThat(glyph(PlaceholderImage.svg("p", null, "Misc > Spare Parts"))).isEqualTo(glyph(PlaceholderImage.svg("p", null, null)));
    }

    @Test
    void only_two_initials_of_the_title_are_drawn_so_no_text_can_be_planted() throws Exception {
        String svg = PlaceholderImage.svg("p-1", "Nordlys <script>alert(1)</script> \"Lamp\" & more", "<b>Lamps</b>");
        assertThat(svg).doesNotContain("script").doesNotContain("alert").doesNotContain("<b>").doesNotContain("more");
        assertThat(svg).contains(">NM</text>");
        assertThat(PlaceholderImage.initials("  ")).isEmpty();
        assertThat(PlaceholderImage.initials("9 Lives Lamp")).isEqualTo("9L");
        DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))); // well-formed
    }

    private static String background(String svg) {
        Matcher m = BACKGROUND.matcher(svg);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static String glyph(String svg) {
        Matcher m = Pattern.compile("<path d=\"([^\"]+)\"/></g>").matcher(svg);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
