package io.github.zendeskloyalty.testkit.internal;

import static io.github.zendeskloyalty.testkit.internal.Replies.NODES;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.testkit.FakeJobFault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/**
 * Bulk jobs, run on the fake's clock: a job is queued when accepted and runs, in submission
 * order, once its duration has passed, whether or not anyone polls it. At most 30 are queued or
 * running. Planned job faults make jobs fail, get killed half-way, stick, or fail some items.
 * Guarded by the backend's lock. Not part of the API.
 */
final class JobQueue {

  /** Zendesk's limit on queued or running jobs per account. */
  static final int MAX_JOBS = 30;
  /** How long a stuck job stays queued before Zendesk kills it. */
  static final Duration STUCK_FOR = Duration.ofHours(1);
  /** How long a late job stays queued before it runs. */
  static final Duration LATE_BY = Duration.ofMinutes(15);

  /** Does one item of a job and answers its result; {@code fail} records a failure instead. */
  @FunctionalInterface
  interface Item {
    ObjectNode run(int index, boolean fail);
  }

  private static final class Job {
    final String id;
    final String type;
    final int total;
    final Item item;
    final Instant submittedAt;
    final Instant runAt;
    final FakeJobFault fault;
    String status = "queued";
    String message;
    List<ObjectNode> results;
    int progress;

    Job(String id, String type, int total, Item item, Instant submittedAt, Instant runAt,
        FakeJobFault fault) {
      this.id = id;
      this.type = type;
      this.total = total;
      this.item = item;
      this.submittedAt = submittedAt;
      this.runAt = runAt;
      this.fault = fault;
    }

    boolean done() {
      return !status.equals("queued") && !status.equals("working");
    }
  }

  private final Clock clock;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  /** The jobs not yet done, oldest first: what each request runs, without walking every job. */
  private final List<Job> unfinished = new LinkedList<>();
  private final Deque<FakeJobFault> faults = new ArrayDeque<>();
  private Duration duration = Duration.ZERO;
  private long nextNumber;
  private String baseUri;

  JobQueue(Clock clock) {
    this.clock = clock;
  }

  void baseUri(String baseUri) {
    this.baseUri = baseUri;
  }

  void duration(Duration duration) {
    this.duration = duration;
  }

  void clear() {
    jobs.clear();
    unfinished.clear();
    faults.clear();
    nextNumber = 0;
  }

  void clearFaults() {
    faults.clear();
  }

  /** Makes each of the next {@code times} jobs end with the fault. */
  void failNext(int times, FakeJobFault fault) {
    for (int i = 0; i < times; i++) {
      faults.addLast(fault);
    }
  }

  int running() {
    return unfinished.size();
  }

  /** Accepts a job, or answers TooManyJobs when 30 are queued or running. */
  Reply submit(String type, int total, Item item) {
    runDue();
    if (running() >= MAX_JOBS) {
      return Replies.error(429, "TooManyJobs", "Number of allowed bulk jobs (" + MAX_JOBS
          + ") exceeded; wait for running jobs to finish");
    }
    String id = String.format("%032x", ++nextNumber * 0x9E3779B97F4A7C15L);
    Instant now = clock.instant();
    Job job = new Job(id, type, total, item, now, now.plus(duration), faults.pollFirst());
    jobs.put(id, job);
    unfinished.add(job);
    return Replies.ok(200, NODES.objectNode().set("job_status", json(job)));
  }

  /** Runs every job whose time has come, oldest first. */
  void runDue() {
    Instant now = clock.instant();
    for (Iterator<Job> pending = unfinished.iterator(); pending.hasNext(); ) {
      Job job = pending.next();
      if (!now.isBefore(job.runAt)) {
        run(job, now);
      }
      if (job.done()) {
        pending.remove();
      }
    }
  }

  private void run(Job job, Instant now) {
    if (job.fault == FakeJobFault.STUCK) {
      if (!now.isBefore(job.submittedAt.plus(STUCK_FOR))) {
        job.status = "killed";
        job.message = "Killed: the job did not finish";
      }
      return;
    }
    if (job.fault == FakeJobFault.LATE && now.isBefore(job.submittedAt.plus(LATE_BY))) {
      return;
    }
    if (job.fault == FakeJobFault.FAILED) {
      job.status = "failed";
      job.message = "Failed: internal error";
      return;
    }
    int count = job.fault == FakeJobFault.KILLED ? job.total / 2 : job.total;
    List<ObjectNode> results = new ArrayList<>();
    for (int index = 0; index < count; index++) {
      results.add(job.item.run(index,
          job.fault == FakeJobFault.PARTIALLY_FAILED && index % 2 == 1));
    }
    job.results = results;
    job.progress = count;
    job.status = job.fault == FakeJobFault.KILLED ? "killed" : "completed";
    job.message = job.fault == FakeJobFault.KILLED ? "Killed after " + count + " of " + job.total
        : "Completed at " + now;
  }

  /** {@code GET /job_statuses/{id}}. */
  Reply show(String id) {
    runDue();
    Job job = jobs.get(id);
    if (job == null) {
      return Replies.notFound();
    }
    return Replies.ok(200, NODES.objectNode().set("job_status", json(job)));
  }

  /** {@code GET /job_statuses/show_many?ids=...}: the known jobs among the ids. */
  Reply showMany(String ids) {
    runDue();
    List<String> wanted = Replies.split(ids);
    if (wanted.size() > 100) {
      return Replies.tooMany("ids", wanted.size(), 100);
    }
    ArrayNode list = NODES.arrayNode();
    for (String id : wanted) {
      Job job = jobs.get(id);
      if (job != null) {
        list.add(json(job));
      }
    }
    return Replies.ok(200, NODES.objectNode().set("job_statuses", list));
  }

  private ObjectNode json(Job job) {
    ObjectNode node = NODES.objectNode();
    node.put("id", job.id);
    node.put("job_type", job.type);
    node.put("url", baseUri + "/api/v2/job_statuses/" + job.id + ".json");
    node.put("status", job.status);
    node.put("total", job.total);
    node.put("progress", job.progress);
    node.put("message", job.message);
    if (job.results == null) {
      node.putNull("results");
    } else {
      node.set("results", NODES.arrayNode().addAll(job.results));
    }
    return node;
  }
}
