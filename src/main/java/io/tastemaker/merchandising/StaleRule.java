package io.tastemaker.merchandising;

import io.tastemaker.errors.Stale;

/** A rule update made against a version of the rule that is no longer the stored one (If-Match). */
public final class StaleRule extends Stale {

    public StaleRule(long id, long stored, long expected) {
        super("Rule " + id + " is at version " + stored + ", not " + expected
                + " as If-Match says: someone changed it since you read it.");
    }
}
