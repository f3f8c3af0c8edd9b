/**
 * The evaluation gate: judges a built model version against the active one on the shop's own
 * engagement, leak-free (trained before a cut-off, judged after it), through the whole blend with
 * feed weights chosen for each version on a validation window; runs as a background job whose
 * verdict is stored with the version and read by promote.
 */
package io.tastemaker.models.gate;
