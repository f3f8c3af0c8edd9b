package io.tastemaker.engagement;

/**
 * Waits out a few polls of the engagement changes ({@link EngagementChanges}), for tests that show
 * something kept in memory is not read again while no change names it: there is no event to
 * await for "nothing happened", so the wait is by the clock, with a margin for a poll's own time.
 */
final class ChangesPolls {

    private ChangesPolls() {
    }

    static void waitOut(EngagementConfig config, int polls) {
        try {
            Thread.sleep(config.changesPoll().multipliedBy(polls).plusMillis(500).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
