package io.tastemaker.merchandising;

import io.tastemaker.errors.NotFound;

/** No merchandising rule has this id. */
public final class UnknownRule extends NotFound {

    public UnknownRule(long id) {
        super("No merchandising rule has id " + id + ".");
    }
}
