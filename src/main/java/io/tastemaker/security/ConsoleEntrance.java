package io.tastemaker.security;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The console is static files under {@code /console/} (META-INF/resources/console), anonymous like
 * the widget: the page holds no key and no data; the person signs in with their own key, kept in
 * the tab's sessionStorage, and every {@code /v1} call the page makes is authenticated. This only
 * sends {@code /console} to {@code /console/}, so the page's relative module paths resolve.
 */
@ApplicationScoped
public class ConsoleEntrance {

    void route(@Observes Router router) {
        router.get("/console").order(-1).handler(context -> {
            if (context.normalizedPath().equals("/console")) {
                context.redirect("/console/");
            } else {
                context.next();
            }
        });
    }
}
