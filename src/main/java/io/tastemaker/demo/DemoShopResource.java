package io.tastemaker.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import io.tastemaker.api.ApiException;
import io.tastemaker.runtime.RuntimeConfig;
import io.tastemaker.runtime.RuntimeMode;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The demo shop at {@code /shop}: a storefront made of plain HTML and ES modules that talks to
 * Tastemaker only as a real shop's pages would, through the public API with the storefront key
 * and the drop-in widget. Served only when the demo data is on in an embedded run, and anonymous
 * like any shop's pages. The page carries the embedded run's storefront key
 * ({@code <data-dir>/keys/storefront}), written into the widget's script tag exactly as a shop
 * writes its own: a storefront key is public by nature (docs/security.md). Never an operator key.
 */
@Path("/shop")
@PermitAll
@Blocking
public class DemoShopResource {

    private static final Pattern STOREFRONT_KEY = Pattern.compile("tm_live_[A-Za-z0-9_-]{43}");
    /** The shop's files besides the page, by name, with their media types. */
    private static final Map<String, String> ASSETS = Map.of("shop.js", "text/javascript; charset=utf-8",
            "shop.css", "text/css; charset=utf-8");

    private final DemoConfig demo;
    private final RuntimeConfig runtime;
    private final ObjectMapper json;

    DemoShopResource(DemoConfig demo, RuntimeConfig runtime, ObjectMapper json) {
        this.demo = demo;
        this.runtime = runtime;
        this.json = json;
    }

    @GET
    @Operation(hidden = true)
    public Response page() {
        String key = storefrontKey();
        String page = resource("index.html")
                .replace("{{storefrontKey}}", key)
                .replace("{{shoppers}}", shoppersJson());
        return Response.ok(page, "text/html; charset=utf-8")
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Path("/{asset}")
    @Operation(hidden = true)
    public Response asset(@PathParam("asset") String name) {
        storefrontKey(); // the same gate as the page
        String type = ASSETS.get(name);
        if (type == null) {
            throw ApiException.notFound("The demo shop has no file '" + name + "'.");
        }
        return Response.ok(resource(name), type).header("Cache-Control", "no-cache").build();
    }

    /** The embedded run's storefront key; 404 when this run has no demo shop. */
    private String storefrontKey() {
        boolean embedded = RuntimeMode.of(runtime) == RuntimeMode.EMBEDDED;
        if (!embedded || !demo.enabled().orElse(true)) {
            throw ApiException.notFound("The demo shop runs only with the demo data in an embedded run"
                    + " (the README's run command; tastemaker.demo.enabled).");
        }
        java.nio.file.Path file = runtime.dataDir().resolve("keys").resolve("storefront");
        Optional<String> key;
        try {
            key = Optional.of(Files.readString(file, StandardCharsets.US_ASCII).strip())
                    .filter(k -> STOREFRONT_KEY.matcher(k).matches());
        } catch (IOException e) {
            key = Optional.empty();
        }
        return key.orElseThrow(() -> ApiException.notFound("The demo shop needs the embedded storefront key in " + file
                + ", which this run has not written."));
    }

    /** The named demo shoppers first (with their tastes), then the background crowd. */
    private String shoppersJson() {
        List<Map<String, String>> shoppers = new ArrayList<>();
        for (DemoEngagement.Persona persona : DemoEngagement.PERSONAS) {
            shoppers.add(shopper(persona.userId(), persona.taste()));
        }
        for (int i = 1; i <= DemoEngagement.BACKGROUND_SHOPPERS; i++) {
            shoppers.add(shopper(String.format("demo-shopper-%02d", i), null));
        }
        try {
            // inside <script type="application/json">: no "</" may end the element early
            return json.writeValueAsString(shoppers).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> shopper(String userId, String taste) {
        Map<String, String> shopper = new LinkedHashMap<>();
        shopper.put("userId", userId);
        if (taste != null) {
            shopper.put("taste", taste);
        }
        return shopper;
    }

    private static String resource(String name) {
        try (InputStream in = DemoShopResource.class.getClassLoader().getResourceAsStream("demo-shop/" + name)) {
            if (in == null) {
                throw new IllegalStateException("demo-shop/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
