package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.client.IdentityPolicy;
import io.github.zendeskloyalty.client.MissingUserPolicy;
import io.github.zendeskloyalty.client.SyncResult.Outcome;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.client.ZendeskServerException;
import io.github.zendeskloyalty.client.ZendeskValidationException;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes batches of member updates with the fewest calls Zendesk allows: one create-or-update
 * for a lone member, {@code create_or_update_many} for many, or, once Zendesk refused bulk import
 * with 403, resolved user ids and {@code update_many}. Called from the dispatcher thread only.
 * Not part of the API.
 */
public final class UserWriter {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  /** The writer's configuration. */
  public record Settings(FieldSchema schema, IdentityPolicy identity,
      MissingUserPolicy missingUsers, Duration jobTimeout, Clock clock) {}

  private final ZendeskHttp http;
  private final UserDirectory directory;
  private final Settings settings;
  private volatile boolean bulkImport;

  /** A writer that starts on the bulk path when missing users are to be created. */
  public UserWriter(ZendeskHttp http, UserDirectory directory, Settings settings) {
    this.http = http;
    this.directory = directory;
    this.settings = settings;
    this.bulkImport = settings.missingUsers() == MissingUserPolicy.CREATE;
  }

  /** Whether writes still go through {@code create_or_update_many}. */
  public boolean usesBulkImport() {
    return bulkImport;
  }

  /**
   * Writes a batch. Updates written synchronously are completed here; the bulk jobs Zendesk
   * accepted are returned, to be polled.
   *
   * @throws ZendeskException when a call failed for the whole batch
   */
  public List<SubmittedJob> write(List<PendingUpdate> batch, Completion completion)
      throws InterruptedException {
    if (bulkImport) {
      if (batch.size() == 1 && http.singleUserLimiter().isFree(userKey(batch.get(0)))) {
        createOrUpdateOne(batch.get(0), false, completion);
        return List.of();
      }
      try {
        return List.of(createOrUpdateMany(batch));
      } catch (ZendeskAuthenticationException refused) {
        if (refused.status() != 403) {
          throw refused;
        }
        switchToUpdateMany();
      }
    }
    return writeByUserId(batch, completion);
  }

  private synchronized void switchToUpdateMany() {
    if (bulkImport) {
      bulkImport = false;
      LOG.log(Level.WARNING, "Zendesk answered 403 to create_or_update_many: bulk import is off"
          + " for this account. Switching to update_many with resolved user ids; missing users"
          + " will be created one at a time (1 per second). Ask Zendesk to enable bulk import"
          + " for fewer calls.");
    }
  }

  private List<SubmittedJob> writeByUserId(List<PendingUpdate> batch, Completion completion)
      throws InterruptedException {
    UserDirectory.Resolution resolution = directory.resolve(batch, completion);
    for (PendingUpdate update : resolution.missing()) {
      if (settings.missingUsers() == MissingUserPolicy.CREATE) {
        try {
          createOrUpdateOne(update, true, completion);
        } catch (ZendeskException failure) {
          completion.failed(update, failure);
        }
      } else {
        completion.succeeded(update, Outcome.SKIPPED_NO_USER, null);
      }
    }
    Map<PendingUpdate, Long> found = resolution.found();
    if (found.isEmpty()) {
      return List.of();
    }
    if (found.size() == 1) {
      Map.Entry<PendingUpdate, Long> only = found.entrySet().iterator().next();
      if (http.singleUserLimiter().isFree(userKey(only.getKey()))) {
        updateOne(only.getKey(), only.getValue(), completion);
        return List.of();
      }
    }
    return List.of(updateMany(found));
  }

  private void createOrUpdateOne(PendingUpdate update, boolean knownMissing,
      Completion completion) throws InterruptedException {
    Map<String, Object> body = Map.of("user", createOrUpdateUser(update.member(), knownMissing));
    ZendeskHttp.Answer answer = http.call(ZendeskOperation.CREATE_OR_UPDATE_USER,
        "/users/create_or_update", body, userKey(update));
    long userId = answer.body().path("user").path("id").asLong();
    directory.remember(userKey(update), userId);
    completion.succeeded(update, answer.status() == 201 ? Outcome.CREATED : Outcome.UPDATED,
        userId);
  }

  private void updateOne(PendingUpdate update, long userId, Completion completion)
      throws InterruptedException {
    Map<String, Object> body =
        Map.of("user", Map.of("user_fields", settings.schema().userFields(update.member())));
    try {
      http.call(ZendeskOperation.UPDATE_USER, "/users/" + userId, body, userKey(update));
      completion.succeeded(update, Outcome.UPDATED, userId);
    } catch (ZendeskException failure) {
      directory.forget(userKey(update));
      completion.failed(update, failure);
    }
  }

  private SubmittedJob createOrUpdateMany(List<PendingUpdate> batch) throws InterruptedException {
    List<Map<String, Object>> users = new ArrayList<>();
    batch.forEach(update -> users.add(createOrUpdateUser(update.member(), false)));
    JsonNode job = http.call(ZendeskOperation.CREATE_OR_UPDATE_MANY_USERS,
        "/users/create_or_update_many", Map.of("users", users), null).body().path("job_status");
    return new SubmittedJob(jobId(job), List.copyOf(batch), Arrays.asList(new Long[batch.size()]),
        settings.clock().instant());
  }

  private SubmittedJob updateMany(Map<PendingUpdate, Long> found) throws InterruptedException {
    List<Map<String, Object>> users = new ArrayList<>();
    found.forEach((update, id) -> {
      Map<String, Object> user = new LinkedHashMap<>();
      user.put("id", id);
      user.put("user_fields", settings.schema().userFields(update.member()));
      users.add(user);
    });
    JsonNode job = http.call(ZendeskOperation.UPDATE_MANY_USERS, "/users/update_many",
        Map.of("users", users), null).body().path("job_status");
    return new SubmittedJob(jobId(job), List.copyOf(found.keySet()),
        new ArrayList<>(found.values()), settings.clock().instant());
  }

  private static String jobId(JsonNode job) {
    String id = job.path("id").asText("");
    if (id.isEmpty()) {
      throw new ZendeskServerException("Zendesk accepted a bulk write but returned no job id",
          ZendeskException.NO_STATUS, null, Map.of(), null, null);
    }
    return id;
  }

  /**
   * The user object of a create-or-update call. The email goes only where Zendesk matches on it
   * (email identity) or where the user is known to be missing; never to a plain update.
   */
  private Map<String, Object> createOrUpdateUser(LoyaltyMember member, boolean knownMissing) {
    Map<String, Object> user = new LinkedHashMap<>();
    if (settings.identity() == IdentityPolicy.EMAIL) {
      user.put("email", member.email());
    } else {
      user.put("external_id", member.memberId());
      if (knownMissing && member.email() != null) {
        user.put("email", member.email());
      }
    }
    user.put("name", displayName(member));
    user.put("skip_verify_email", true);
    user.put("user_fields", settings.schema().userFields(member));
    return user;
  }

  static String displayName(LoyaltyMember member) {
    String name = ((member.firstName() == null ? "" : member.firstName()) + " "
        + (member.lastName() == null ? "" : member.lastName())).strip();
    if (!name.isEmpty()) {
      return name;
    }
    return member.email() != null ? member.email() : "Loyalty member " + member.memberId();
  }

  private String userKey(PendingUpdate update) {
    return update.userKey(settings.identity());
  }

  /**
   * Polls the given jobs with one call and completes the updates of every job that ended.
   *
   * @return the jobs that ended (completed, failed, killed, or past the job timeout)
   */
  public List<SubmittedJob> poll(List<SubmittedJob> jobs, Completion completion)
      throws InterruptedException {
    String ids = jobs.stream().map(SubmittedJob::id).collect(Collectors.joining(","));
    JsonNode statuses = http.call(ZendeskOperation.SHOW_JOB_STATUSES,
        "/job_statuses/show_many?ids=" + UserDirectory.encode(ids), null, null)
        .body().path("job_statuses");
    Map<String, JsonNode> byId = new HashMap<>();
    statuses.forEach(status -> byId.put(status.path("id").asText(), status));
    List<SubmittedJob> ended = new ArrayList<>();
    for (SubmittedJob job : jobs) {
      JsonNode status = byId.get(job.id());
      String state = status == null ? "" : status.path("status").asText("").toLowerCase(Locale.ROOT);
      if (state.equals("completed") || state.equals("failed") || state.equals("killed")) {
        applyResults(job, status, completion);
        if (!state.equals("completed")) {
          failRest(job, new ZendeskServerException("Zendesk bulk job " + job.id() + " ended as "
              + state + ": " + Redactor.clean(status.path("message").asText("")),
              ZendeskException.NO_STATUS, state, Map.of(), null, null), completion);
        }
        ended.add(job);
      } else if (isPastTimeout(job)) {
        failRest(job, jobTimeout(job), completion);
        ended.add(job);
      }
    }
    return ended;
  }

  /** Whether Zendesk has had the job for longer than the job timeout. */
  public boolean isPastTimeout(SubmittedJob job) {
    return !settings.clock().instant().isBefore(job.submittedAt().plus(settings.jobTimeout()));
  }

  /** The failure of a job that never finished. */
  public ZendeskServerException jobTimeout(SubmittedJob job) {
    return new ZendeskServerException("Zendesk bulk job " + job.id() + " did not finish within "
        + settings.jobTimeout() + "; the update may or may not have been applied.",
        ZendeskException.NO_STATUS, null, Map.of(), null, null);
  }

  /** Fails every update of the job that has no outcome yet. */
  public void failRest(SubmittedJob job, ZendeskException failure, Completion completion) {
    job.items().forEach(update -> completion.failed(update, failure));
  }

  private void applyResults(SubmittedJob job, JsonNode status, Completion completion) {
    List<PendingUpdate> items = job.items();
    Map<Long, Integer> byUserId = new HashMap<>();
    Map<String, Integer> byEmail = new HashMap<>();
    Map<String, Integer> byExternalId = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      if (job.userIds().get(i) != null) {
        byUserId.put(job.userIds().get(i), i);
      }
      LoyaltyMember member = items.get(i).member();
      if (member.email() != null) {
        byEmail.put(member.email().toLowerCase(Locale.ROOT), i);
      }
      byExternalId.put(member.memberId().toLowerCase(Locale.ROOT), i);
    }
    boolean[] answered = new boolean[items.size()];
    for (JsonNode result : status.path("results")) {
      int index = matchIndex(result, items.size(), byUserId, byEmail, byExternalId);
      if (index < 0 || answered[index]) {
        continue;
      }
      answered[index] = true;
      PendingUpdate update = items.get(index);
      if (isFailure(result)) {
        directory.forget(userKey(update));
        completion.failed(update, itemFailure(job, update, result));
        continue;
      }
      Long userId = result.hasNonNull("id") ? result.path("id").asLong() : job.userIds().get(index);
      if (userId != null) {
        directory.remember(userKey(update), userId);
      }
      String said = (result.path("status").asText("") + " " + result.path("action").asText(""))
          .toLowerCase(Locale.ROOT);
      completion.succeeded(update, said.contains("create") ? Outcome.CREATED : Outcome.UPDATED,
          userId);
    }
    if (status.path("status").asText("").equalsIgnoreCase("completed")) {
      for (int i = 0; i < items.size(); i++) {
        if (!answered[i]) {
          completion.failed(items.get(i), new ZendeskServerException("Zendesk bulk job "
              + job.id() + " completed without a result for member " + items.get(i).memberId(),
              ZendeskException.NO_STATUS, null, Map.of(), null, null));
        }
      }
    }
  }

  private static int matchIndex(JsonNode result, int size, Map<Long, Integer> byUserId,
      Map<String, Integer> byEmail, Map<String, Integer> byExternalId) {
    if (result.path("index").canConvertToInt() && result.has("index")) {
      int index = result.path("index").asInt();
      return index >= 0 && index < size ? index : -1;
    }
    if (result.hasNonNull("id") && byUserId.containsKey(result.path("id").asLong())) {
      return byUserId.get(result.path("id").asLong());
    }
    if (result.hasNonNull("email")) {
      return byEmail.getOrDefault(result.path("email").asText().toLowerCase(Locale.ROOT), -1);
    }
    if (result.hasNonNull("external_id")) {
      return byExternalId.getOrDefault(
          result.path("external_id").asText().toLowerCase(Locale.ROOT), -1);
    }
    return -1;
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
        ZendeskException.NO_STATUS, code, Map.of(), null, null);
  }
}
