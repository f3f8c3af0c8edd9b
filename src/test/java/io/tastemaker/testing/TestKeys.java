package io.tastemaker.testing;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;

/**
 * Every {@code @QuarkusTest} talks to the API as the embedded runtime's operator (the key it
 * writes under {@code <data-dir>/keys/}) unless a request names its own key, asks for none
 * ({@link #anonymous()}) or goes to the management port ({@link #management()}). Registered as a
 * Quarkus test callback, so it runs in the application's class loader, beside the test's RestAssured.
 */
public class TestKeys implements QuarkusTestBeforeEachCallback {

    private static final String NO_KEY = "X-Test-No-Key";

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        String operator = secret("operator");
        Filter defaultKey = (request, response, next) -> {
            if (request.getHeaders().hasHeaderWithName(NO_KEY)) {
                request.removeHeader(NO_KEY);
            } else if (!request.getHeaders().hasHeaderWithName("Authorization")
                    && !request.getHeaders().hasHeaderWithName("X-Api-Key")) {
                request.header("Authorization", "Bearer " + operator);
            }
            return next.next(request, response);
        };
        RestAssured.replaceFiltersWith(defaultKey);
    }

    /** The secret of a key the embedded runtime keeps ({@code operator} or {@code storefront}). */
    public static String secret(String role) {
        Path dataDir = Path.of(ConfigProvider.getConfig().getValue("tastemaker.data-dir", String.class));
        try {
            return Files.readString(dataDir.resolve("keys").resolve(role)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded runtime keeps no " + role + " key", e);
        }
    }

    /** A request with no credentials at all. */
    public static RequestSpecification anonymous() {
        return given().header(NO_KEY, "1");
    }

    /** A request to the management interface (health, metrics, OpenAPI), which takes no key. */
    public static RequestSpecification management() {
        return given().header(NO_KEY, "1").port(managementPort());
    }

    public static int managementPort() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class).orElse(9001);
    }
}
