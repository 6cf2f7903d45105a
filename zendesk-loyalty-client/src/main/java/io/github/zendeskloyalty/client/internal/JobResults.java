package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.client.SyncResult.Outcome;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.client.ZendeskServerException;
import io.github.zendeskloyalty.client.ZendeskValidationException;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Polls bulk jobs and maps each job's per-item results back to the members it carried. Results
 * are matched by {@code index} when Zendesk gives one, else by email, external id or user id,
 * else by position (Zendesk keeps results in request order). Not part of the API.
 */
final class JobResults {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  private final ZendeskHttp http;
  private final UserDirectory directory;
  private final Duration jobTimeout;
  private final Clock clock;

  JobResults(ZendeskHttp http, UserDirectory directory, Duration jobTimeout, Clock clock) {
    this.http = http;
    this.directory = directory;
    this.jobTimeout = jobTimeout;
    this.clock = clock;
  }

  /**
   * See {@link UserWriter#poll}. One attempt: a poll that fails ends only the jobs past their
   * timeout, and the others are polled again at the next poll. A failed item addressed by external id goes into
   * {@code toCheck} instead of {@code outcomes}: it may only mean there is no such user.
   */
  Polled poll(List<SubmittedJob> jobs, Outcomes outcomes,
      Map<PendingUpdate, ZendeskException> toCheck) throws InterruptedException {
    String ids = jobs.stream().map(SubmittedJob::id).collect(Collectors.joining(","));
    // one attempt, bounded by the first job's timeout: the poll schedule is the retry, and the
    // dispatcher writes other members between polls instead of waiting out a failing one
    Instant firstTimeout = jobs.stream().map(job -> job.submittedAt().plus(jobTimeout))
        .min(Instant::compareTo).orElseThrow();
    Map<String, JsonNode> byId;
    try {
      byId = http.callOnce(ZendeskOperation.SHOW_MANY_JOB_STATUSES,
          "/job_statuses/show_many?ids=" + ZendeskHttp.encode(ids), firstTimeout,
          (status, body) -> statuses(body));
    } catch (ZendeskException failure) {
      LOG.log(Level.WARNING, () -> "polling bulk jobs failed; will poll again: "
          + failure.getMessage());
      List<SubmittedJob> givenUp = new ArrayList<>();
      for (SubmittedJob job : jobs) {
        if (isPastTimeout(job)) {
          outcomes.failUnsettled(job.items(), timedOut(job));
          givenUp.add(job);
        }
      }
      return new Polled(givenUp, givenUp);
    }
    List<SubmittedJob> ended = new ArrayList<>();
    List<SubmittedJob> givenUp = new ArrayList<>();
    for (SubmittedJob job : jobs) {
      JsonNode status = byId.get(job.id());
      String state = status == null ? "" : status.path("status").asText().toLowerCase(Locale.ROOT);
      if (state.equals("completed") || state.equals("failed") || state.equals("killed")) {
        apply(job, status, outcomes, toCheck);
        if (!state.equals("completed")) {
          outcomes.failUnsettled(job.items(), new ZendeskServerException("Zendesk bulk job "
              + job.id() + " ended as " + state + ": "
              + Redactor.clean(status.path("message").asText("")) + "; its writes may or may not"
              + " have been applied.", ZendeskException.Answer.code(state), null));
        }
        ended.add(job);
      } else if (isPastTimeout(job)) {
        outcomes.failUnsettled(job.items(), timedOut(job));
        ended.add(job);
        givenUp.add(job);
      }
    }
    return new Polled(ended, givenUp);
  }

  /**
   * What a poll found: the jobs that ended for the SDK, and among them those it gave up on at
   * the job timeout, which Zendesk may still run.
   */
  record Polled(List<SubmittedJob> ended, List<SubmittedJob> givenUp) {}

  /**
   * Polls jobs given up on, once: those whose fate is now known, because Zendesk reports them
   * ended (completed, failed, killed) or no longer knows them.
   *
   * @throws ZendeskException when the poll failed: nothing was learnt
   */
  List<SubmittedJob> pollLate(List<SubmittedJob> late) throws InterruptedException {
    String ids = late.stream().map(SubmittedJob::id).collect(Collectors.joining(","));
    Map<String, JsonNode> byId = http.callOnce(ZendeskOperation.SHOW_MANY_JOB_STATUSES,
        "/job_statuses/show_many?ids=" + ZendeskHttp.encode(ids),
        clock.instant().plus(LateJobs.POLL_INTERVAL), (status, body) -> statuses(body));
    List<SubmittedJob> known = new ArrayList<>();
    for (SubmittedJob job : late) {
      JsonNode status = byId.get(job.id());
      String state = status == null ? "" : status.path("status").asText().toLowerCase(Locale.ROOT);
      if (status == null || state.equals("completed") || state.equals("failed")
          || state.equals("killed")) {
        known.add(job);
      }
    }
    return known;
  }

  /** The job statuses of a poll answer by id; each must have an id and a status. */
  private static Map<String, JsonNode> statuses(JsonNode body) {
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode status : AnswerReader.array(body, "job_statuses")) {
      AnswerReader.text(status, "status", "a job status");
      byId.put(AnswerReader.text(status, "id", "a job status"), status);
    }
    return byId;
  }

  private boolean isPastTimeout(SubmittedJob job) {
    return !clock.instant().isBefore(job.submittedAt().plus(jobTimeout));
  }

  private ZendeskServerException timedOut(SubmittedJob job) {
    return new ZendeskServerException("Zendesk bulk job " + job.id() + " did not finish within "
        + jobTimeout + "; the update may or may not have been applied.",
        ZendeskException.Answer.NONE, null);
  }

  private void apply(SubmittedJob job, JsonNode status, Outcomes outcomes,
      Map<PendingUpdate, ZendeskException> toCheck) {
    JsonNode results = status.path("results");
    if (!results.isArray()) {
      outcomes.failUnsettled(job.items(), new ZendeskServerException("Zendesk bulk job "
          + job.id() + " ended without per-member results; its writes may or may not have been"
          + " applied.", ZendeskException.NO_STATUS, Failures.MALFORMED_ANSWER, Map.of(), null,
          null));
      return;
    }
    Matcher matcher = new Matcher(job, results.size() == job.items().size());
    int position = 0;
    for (JsonNode result : results) {
      int index = matcher.indexOf(result, position++);
      if (index < 0) {
        continue;
      }
      PendingUpdate update = job.items().get(index);
      if (isFailure(result)) {
        directory.forget(update.profileKey());
        if (job.byExternalId().contains(update)) {
          toCheck.put(update, itemFailure(job, update, result));
        } else {
          outcomes.failed(update, itemFailure(job, update, result));
        }
        continue;
      }
      Long userId = result.path("id").isIntegralNumber()
          ? Long.valueOf(result.path("id").asLong()) : job.userIds().get(index);
      if (userId != null) {
        directory.remember(update.profileKey(), userId);
      }
      String said = (result.path("status").asText("") + " " + result.path("action").asText(""))
          .toLowerCase(Locale.ROOT);
      outcomes.succeeded(update, said.contains("create") ? Outcome.CREATED : Outcome.UPDATED,
          userId);
    }
    if (status.path("status").asText("").equalsIgnoreCase("completed")) {
      for (PendingUpdate update : job.items()) {
        if (!outcomes.has(update) && !toCheck.containsKey(update)) {
          outcomes.failed(update, new ZendeskServerException("Zendesk bulk job " + job.id()
              + " completed without a result for member " + update.memberId() + "; the update"
              + " may or may not have been applied.", ZendeskException.NO_STATUS, null, Map.of(),
              null, null));
        }
      }
    }
  }

  /** Finds the item a result answers, each item at most once. */
  private static final class Matcher {
    private final Map<Long, Integer> byUserId = new HashMap<>();
    private final Map<String, Integer> byEmail = new HashMap<>();
    private final Map<String, Integer> byExternalId = new HashMap<>();
    private final boolean[] answered;
    private final boolean inRequestOrder;

    /** @param inRequestOrder whether a result with nothing to match may be taken by position */
    Matcher(SubmittedJob job, boolean inRequestOrder) {
      this.inRequestOrder = inRequestOrder;
      this.answered = new boolean[job.items().size()];
      for (int i = 0; i < job.items().size(); i++) {
        if (job.userIds().get(i) != null) {
          byUserId.put(job.userIds().get(i), i);
        }
        LoyaltyMember member = job.items().get(i).member();
        if (member.email() != null) {
          byEmail.putIfAbsent(member.email().toLowerCase(Locale.ROOT), i);
        }
        byExternalId.putIfAbsent(member.memberId().toLowerCase(Locale.ROOT), i);
      }
    }

    /** The item's index, or -1 when the result answers none (or one already answered). */
    int indexOf(JsonNode result, int position) {
      int index = find(result, position);
      if (index < 0 || index >= answered.length || answered[index]) {
        return -1;
      }
      answered[index] = true;
      return index;
    }

    private int find(JsonNode result, int position) {
      if (result.path("index").canConvertToInt() && result.path("index").isIntegralNumber()) {
        return result.path("index").asInt();
      }
      if (result.path("email").isTextual()) {
        return byEmail.getOrDefault(result.path("email").asText().toLowerCase(Locale.ROOT), -1);
      }
      if (result.path("external_id").isTextual()) {
        return byExternalId.getOrDefault(
            result.path("external_id").asText().toLowerCase(Locale.ROOT), -1);
      }
      if (result.path("id").isIntegralNumber() && byUserId.containsKey(result.path("id").asLong())) {
        return byUserId.get(result.path("id").asLong());
      }
      return inRequestOrder ? position : -1;
    }
  }

  private static boolean isFailure(JsonNode result) {
    return (result.has("success") && !result.path("success").asBoolean(true))
        || result.hasNonNull("error")
        || result.path("status").asText("").equalsIgnoreCase("failed");
  }

  private static ZendeskValidationException itemFailure(SubmittedJob job, PendingUpdate update,
      JsonNode result) {
    String code = result.path("error").asText(null);
    JsonNode details = result.path("details");
    String text = details.isMissingNode() || details.isNull() ? ""
        : details.isTextual() ? details.asText() : details.toString();
    return new ZendeskValidationException("Zendesk could not write member " + update.memberId()
        + " in bulk job " + job.id() + ": " + (code == null ? "failed" : code)
        + (text.isEmpty() ? "" : " - " + Redactor.clean(text))
        + ". Check the user field definitions (fields().verify()).",
        ZendeskException.Answer.code(code), null);
  }
}
