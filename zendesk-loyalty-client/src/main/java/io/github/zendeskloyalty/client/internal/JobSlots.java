package io.github.zendeskloyalty.client.internal;

/**
 * How many bulk jobs this instance keeps running at once. Zendesk allows 30 per account, shared
 * by every instance and integration, and says nothing of how many others run: so the count
 * starts small, grows by one for every job that ends while a batch was waiting for a slot, and
 * halves when Zendesk answers {@code TooManyJobs}, never above the configured most. A job of 100
 * users takes seconds, so a few running jobs already keep up with the account's request budget.
 * Thread-safe. Not part of the API.
 */
final class JobSlots {

  /** The count a fresh instance starts with. */
  static final int INITIAL = 4;

  private final int most;
  private int slots;
  private boolean wanted;

  /** Slots growing up to {@code most}. */
  public JobSlots(int most) {
    this.most = most;
    this.slots = Math.min(INITIAL, most);
  }

  /** How many jobs may run now. */
  public synchronized int slots() {
    return slots;
  }

  /** A batch was ready but every slot was taken. */
  synchronized void wanted() {
    wanted = true;
  }

  /** A job ended: one more slot, up to the most, when a batch had to wait for one. */
  synchronized void ended() {
    if (wanted) {
      slots = Math.min(most, slots + 1);
      wanted = false;
    }
  }

  /** Zendesk answered TooManyJobs: half the slots, at least one. */
  synchronized void tooMany() {
    slots = Math.max(1, slots / 2);
  }
}
