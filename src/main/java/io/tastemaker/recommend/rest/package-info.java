/**
 * The storefront lists and the merchandising preview over HTTP: query parameters and bodies read
 * into the ranking core's types (naming the wrong field), opaque page cursors, and the JSON the
 * storefront renders.
 */
package io.tastemaker.recommend.rest;
