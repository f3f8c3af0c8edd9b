/**
 * What the domain refuses, named by what went wrong (something is missing, in the way, stale or
 * out of reach), with no HTTP in it. Each capability names its own cases ({@code UnknownVersion},
 * {@code UnknownRule}, {@code TopicUnavailable}...) as subclasses of these four; the API layer's
 * {@code ProblemMapper} alone turns them into problem+json answers.
 */
package io.tastemaker.errors;
