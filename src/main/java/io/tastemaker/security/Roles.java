package io.tastemaker.security;

import java.util.List;

/**
 * Who may do what. Each endpoint names the roles it admits ({@code @RolesAllowed}); an operator
 * holds every role ({@link RoleAugmentor}), so endpoints never list it.
 *
 * <ul>
 *   <li>{@link #STOREFRONT}: public and browser-safe: lists, the assistant, {@code POST /v1/events};</li>
 *   <li>{@link #CATALOG}: merchant systems writing the catalog;</li>
 *   <li>{@link #MERCHANDISER}: rules, preview, audit, analytics, catalog reads;</li>
 *   <li>{@link #DATA_SCIENTIST}: models, experiments, evaluation, fine-tunes, training export, profiles, analytics;</li>
 *   <li>{@link #OPERATOR}: keys, rebuilds, shopper data requests, and everything else.</li>
 * </ul>
 */
public final class Roles {

    public static final String STOREFRONT = "storefront";
    public static final String CATALOG = "catalog";
    public static final String MERCHANDISER = "merchandiser";
    public static final String DATA_SCIENTIST = "data-scientist";
    public static final String OPERATOR = "operator";

    /** Every role, in the order the docs list them. */
    public static final List<String> ALL = List.of(STOREFRONT, CATALOG, MERCHANDISER, DATA_SCIENTIST, OPERATOR);

    private Roles() {
    }

    public static boolean known(String role) {
        return ALL.contains(role);
    }
}
