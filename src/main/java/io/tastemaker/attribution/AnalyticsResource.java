package io.tastemaker.attribution;

import io.smallrye.common.annotation.Blocking;
import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;
import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What served lists earned, for merchandisers and data scientists (docs/merchandising.md#what-lists-earned):
 * served lists, impressions, clicks, pins, carts, purchases and revenue per placement, UTC day of serving,
 * model version and experiment variant, and per merchandising rule for the items it boosted or
 * pinned; CTR and conversion with 95 % Wilson intervals.
 */
@Blocking
@Path("/v1/analytics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Analytics")
@RolesAllowed({Roles.MERCHANDISER, Roles.DATA_SCIENTIST})
public class AnalyticsResource {

    static final Pattern PLACEMENT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern MODEL_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern RULE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final int MAX_DAYS = 366;
    private static final int DEFAULT_DAYS = 7;

    private final Analytics analytics;
    private final AttributionConfig config;

    AnalyticsResource(Analytics analytics, AttributionConfig config) {
        this.analytics = analytics;
        this.config = config;
    }

    /** One row: counts, and the rates read from them. */
    public record Row(LocalDate day, String placement, String modelVersion, Long experimentId, String variant,
                      String ruleId, long served, long impressions, long clicks, long pins, long carts, long purchases,
                      BigDecimal revenue, long otherCurrencyPurchases, Rate ctr, Rate saveRate, Rate conversion) {
    }

    /** The answer: the range read, the reporting currency, the rows, and what could not be credited in the range. */
    public record Report(LocalDate from, LocalDate to, String per, String currency, List<Row> rows,
                         Map<String, Map<String, Long>> unattributed) {
    }

    @GET
    @Path("/placements")
    @Operation(summary = "Outcomes per placement, day, model version and experiment variant",
            description = "Query: from, to (UTC days of serving, inclusive; default the last 7 days, at most 366), "
                    + "placement, modelVersion, variant (control, treatment or none), per (day, the default, or range). "
                    + "Each row: served lists, impressions, clicks, pins (saves), carts, purchases, revenue in the reporting "
                    + "currency (otherCurrencyPurchases were in another one), ctr = clicks/impressions, saveRate = "
                    + "pins/impressions and conversion = purchases/impressions with 95 % Wilson intervals. 'unattributed' counts outcomes whose recommId was "
                    + "unknown or expired, or whose product the list did not serve.")
    public Report placements(@QueryParam("from") String from, @QueryParam("to") String to,
                             @QueryParam("placement") String placement, @QueryParam("modelVersion") String modelVersion,
                             @QueryParam("variant") String variant, @QueryParam("per") String per) {
        return report(filter(from, to, placement, modelVersion, variant, null, per), false);
    }

    @GET
    @Path("/rules")
    @Operation(summary = "Outcomes of the items each merchandising rule boosted or pinned",
            description = "As /v1/analytics/placements, one row per rule (ruleId filters to one): served counts the lists "
                    + "in which the rule moved at least one item; impressions, clicks, pins, carts, purchases and revenue count "
                    + "only the items it moved. Compare with the placement's row to see what the rule's items earned.")
    public Report rules(@QueryParam("from") String from, @QueryParam("to") String to,
                        @QueryParam("placement") String placement, @QueryParam("modelVersion") String modelVersion,
                        @QueryParam("variant") String variant, @QueryParam("ruleId") String ruleId,
                        @QueryParam("per") String per) {
        return report(filter(from, to, placement, modelVersion, variant, ruleId, per), true);
    }

    private Report report(Analytics.Filter filter, boolean rules) {
        List<Row> rows = new ArrayList<>();
        for (Analytics.Figures f : analytics.rows(filter, rules)) {
            rows.add(new Row(f.day(), f.placement(), f.modelVersion(), f.experimentId(), f.variant(), f.ruleId(),
                    f.served(), f.impressions(), f.clicks(), f.pins(), f.carts(), f.purchases(), f.revenue(),
                    f.otherCurrencyPurchases(), Rate.of(f.clicks(), f.impressions()), Rate.of(f.pins(), f.impressions()),
                    Rate.of(f.purchases(), f.impressions())));
        }
        return new Report(filter.from(), filter.to(), filter.perDay() ? "day" : "range", config.currency(), rows,
                analytics.unattributed(filter.from(), filter.to()));
    }

    private static Analytics.Filter filter(String from, String to, String placement, String modelVersion, String variant,
                                           String ruleId, String per) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate last = date(errors, "to", to, today);
        LocalDate first = date(errors, "from", from, last == null ? today : last.minusDays(DEFAULT_DAYS - 1));
        if (first != null && last != null) {
            if (first.isAfter(last)) {
                errors.add(new FieldError("from", "must not be after to (" + last + ")"));
            } else if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
                errors.add(new FieldError("from", "must be at most " + MAX_DAYS + " days before to"));
            }
        }
        check(errors, "placement", placement, PLACEMENT, "a placement name: 1-64 of a-z, 0-9, _ and -, starting with a"
                + " letter or digit");
        check(errors, "modelVersion", modelVersion, MODEL_VERSION, "a model version: 1-100 letters, digits, . _ and -");
        check(errors, "ruleId", ruleId, RULE_ID, "a rule id");
        String variantKey = null;
        if (variant != null) {
            switch (variant) {
                case "control", "treatment" -> variantKey = variant;
                case "none" -> variantKey = "";
                default -> errors.add(new FieldError("variant", "must be control, treatment or none, got '" + variant + "'"));
            }
        }
        boolean perDay = true;
        if (per != null && !per.equals("day")) {
            if (per.equals("range")) {
                perDay = false;
            } else {
                errors.add(new FieldError("per", "must be day or range, got '" + per + "'"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Analytics.Filter(first, last, placement, modelVersion, variantKey, ruleId, perDay);
    }

    private static LocalDate date(List<FieldError> errors, String field, String value, LocalDate otherwise) {
        if (value == null) {
            return otherwise;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be a day such as 2026-11-23, got '" + value + "'"));
            return null;
        }
    }

    private static void check(List<FieldError> errors, String field, String value, Pattern pattern, String what) {
        if (value != null && !pattern.matcher(value).matches()) {
            errors.add(new FieldError(field, "must be " + what));
        }
    }
}
