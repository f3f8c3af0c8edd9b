package io.tastemaker.models.training;

import io.smallrye.common.annotation.Blocking;
import io.tastemaker.catalog.CatalogStore;
import io.tastemaker.catalog.Product;
import io.tastemaker.embedding.ProductText;
import io.tastemaker.profiles.ProfileStore;
import io.tastemaker.profiles.TasteProfile;
import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The shop's own data for an offline evaluation ({@code evaluate <dir>} reads the two files as
 * saved): the products with the text the service embeds, and the recent engagement its taste
 * profiles keep. Shoppers are pseudonymous: each export names them by a keyed hash under a key
 * drawn for that export and never stored, so lines group by shopper within one export but link
 * neither to the storefront's user ids nor to another export. Erased shoppers are never exported.
 * Streamed page by page ({@link NdjsonPages}).
 */
@Blocking
@Path("/v1/training-data")
@Tag(name = "Models")
@RolesAllowed(Roles.DATA_SCIENTIST)
public class ShopDataExportResource {

    private final ProfileStore profiles;
    private final CatalogStore catalog;

    ShopDataExportResource(ProfileStore profiles, CatalogStore catalog) {
        this.profiles = profiles;
        this.catalog = catalog;
    }

    /** One engagement: a pseudonymous shopper, the product, the event type and when it happened (ISO-8601). */
    public record EngagementLine(String shopper, String productId, String type, String occurredAt) {
    }

    /** One product and the text the embedding model reads of it. */
    public record ProductLine(String productId, String text) {
    }

    @GET
    @Path("engagement")
    @Produces(NdjsonPages.NDJSON)
    @Operation(summary = "Export recent engagement (NDJSON)", description = "One line per engagement the taste "
            + "profiles keep (each shopper's " + TasteProfile.MAX_RECENT + " most recent, hides excluded), oldest "
            + "first per shopper: {shopper, productId, type, occurredAt}. shopper is pseudonymous: a keyed hash "
            + "under a key drawn for this export, stable within it, unlinkable to the user id or to other exports. "
            + "Erased shoppers are never exported. Save beside the products export for `evaluate <dir>`.")
    public StreamingOutput engagement() {
        Pseudonyms pseudonyms = new Pseudonyms();
        return NdjsonPages.stream(out -> NdjsonPages.write(out, (TasteProfile last, int limit) ->
                profiles.profilesAfter(last == null ? null : last.userId(), limit), page -> {
            List<EngagementLine> lines = new ArrayList<>();
            for (TasteProfile profile : page) {
                String shopper = pseudonyms.of(profile.userId());
                // the profile keeps them newest-applied first; a late event may be older than the one before it
                List<TasteProfile.Recent> recent = new ArrayList<>(profile.recent());
                Collections.reverse(recent);
                recent.sort(Comparator.comparing(TasteProfile.Recent::occurredAt));
                for (TasteProfile.Recent r : recent) {
                    lines.add(new EngagementLine(shopper, r.productId(), r.type(), r.occurredAt().toString()));
                }
            }
            return lines;
        }, Long.MAX_VALUE));
    }

    @GET
    @Path("products")
    @Produces(NdjsonPages.NDJSON)
    @Operation(summary = "Export products with their embedded text (NDJSON)", description = "One line per catalog "
            + "product, in id order: {productId, text}, text exactly as the embedding model reads it. Save beside "
            + "the engagement export for `evaluate <dir>`.")
    public StreamingOutput products() {
        return NdjsonPages.stream(out -> NdjsonPages.write(out, (Product last, int limit) ->
                        catalog.pageAfterBlocking(last == null ? null : last.id(), limit),
                page -> page.stream().map(p -> new ProductLine(p.id(), ProductText.of(p))).toList(), Long.MAX_VALUE));
    }

    /** HMAC-SHA256 of the user id under a random key that lives as long as one export. */
    private static final class Pseudonyms {
        private final Mac mac;

        Pseudonyms() {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        String of(String userId) {
            byte[] digest = mac.doFinal(userId.getBytes(StandardCharsets.UTF_8));
            return "s-" + HexFormat.of().formatHex(digest, 0, 12);
        }
    }
}
