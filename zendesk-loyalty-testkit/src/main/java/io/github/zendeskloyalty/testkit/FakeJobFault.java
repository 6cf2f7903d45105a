package io.github.zendeskloyalty.testkit;

/**
 * How a bulk job goes wrong, for {@link FakeZendesk#failNextJobs(int, FakeJobFault)}.
 *
 * <pre>{@code
 * fake.failNextJobs(1, FakeJobFault.PARTIALLY_FAILED);   // every second item fails
 * fake.failNextJobs(2, FakeJobFault.STUCK);              // queued until killed an hour later
 * fake.failNextJobs(1, FakeJobFault.LATE);               // runs 15 minutes late
 * }</pre>
 */
public enum FakeJobFault {
  /** The job ends {@code failed} without results; nothing is applied. */
  FAILED,
  /** The job is {@code killed} half-way: the first half of its items is applied and reported. */
  KILLED,
  /** The job stays {@code queued}, applying nothing, until it is killed an hour later. */
  STUCK,
  /**
   * The job stays {@code queued} for 15 minutes, longer than an SDK's job timeout, then runs and
   * applies every item: after writes that came later (Zendesk promises neither prompt nor
   * in-order jobs).
   */
  LATE,
  /** The job completes, but every second item fails ({@code UserUpdateError}) and is not applied. */
  PARTIALLY_FAILED
}
