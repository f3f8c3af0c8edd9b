/**
 * What served lists earned: the outcome consumer credits the events that carry a recommId back to
 * the list they came from ({@code served_lists}, written by the API), once per list, product and
 * outcome; the aggregates per placement, day, model version, experiment variant and rule, and the
 * per-shopper totals of an experiment, are kept incrementally in PostgreSQL; the analytics
 * endpoints read them with CTR and conversion intervals; the served-list retention is purged here.
 */
package io.tastemaker.attribution;
