/**
 * Each product's nearest neighbours per serving version, computed ahead of requests and kept up
 * to date as products are embedded: the similar source's first look, so a feed's item-to-item
 * step costs a map look-up instead of an approximate search per anchor.
 */
package io.tastemaker.recommend.neighbours;
