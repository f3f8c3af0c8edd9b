package io.tastemaker.shoppers;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Bounds of an access request's look into the engagement log, and of the rows it lists. */
@ConfigMapping(prefix = "tastemaker.shoppers")
public interface ShoppersConfig {

    /** Records of the shopper's partition read, newest last: older ones are not looked at (the answer says so). */
    @WithDefault("200000")
    int logScanRecords();

    /** The scan stops after this long, answering what it found (the answer says so). */
    @WithDefault("15s")
    Duration logScanTimeout();

    /** At most this many events, dedupe ids and query links are listed (the newest events); counts are exact. */
    @WithDefault("1000")
    int maxListed();
}
