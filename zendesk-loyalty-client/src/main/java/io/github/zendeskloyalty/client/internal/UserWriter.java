package io.github.zendeskloyalty.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zendeskloyalty.client.IdentityPolicy;
import io.github.zendeskloyalty.client.MissingUserPolicy;
import io.github.zendeskloyalty.client.SyncResult.Outcome;
import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskOperation;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes batches of member updates with the fewest calls Zendesk allows: one create-or-update
 * for a lone member, {@code create_or_update_many} for many, or, once Zendesk refused bulk import
 * with 403, resolved user ids and {@code update_many}. A member that cannot be written fails
 * alone: its fields are built one member at a time, and a bulk call Zendesk refuses as a bad
 * request is split until the bad member is found. Records outcomes; completes nothing. Called
 * from the dispatcher thread only. Not part of the API.
 */
final class UserWriter {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  /** The writer's configuration. */
  public record Settings(FieldSchema schema, IdentityPolicy identity,
      MissingUserPolicy missingUsers, Duration jobTimeout, Clock clock) {}

  /** One member ready to send: its update, its fields, and whether its email goes along. */
  private record Item(PendingUpdate update, Map<String, Object> fields, boolean withEmail) {}

  private final ZendeskHttp http;
  private final UserDirectory directory;
  private final Settings settings;
  private final JobResults jobResults;
  private volatile boolean bulkImport;

  /** A writer that starts on the bulk path when missing users are to be created. */
  public UserWriter(ZendeskHttp http, UserDirectory directory, Settings settings) {
    this.http = http;
    this.directory = directory;
    this.settings = settings;
    this.jobResults = new JobResults(http, directory, settings.jobTimeout(), settings.clock());
    this.bulkImport = settings.missingUsers() == MissingUserPolicy.CREATE;
  }

  /** Whether writes still go through {@code create_or_update_many}. */
  public boolean usesBulkImport() {
    return bulkImport;
  }

  /**
   * Whether the member can be written without waiting on the export for its user id; the
   * engine fills batches with such members first.
   */
  public boolean writesAtOnce(PendingUpdate update) {
    return bulkImport || settings.identity() == IdentityPolicy.EXTERNAL_ID
        || directory.resolvesAtOnce(update.profileKey());
  }

  /**
   * Writes a batch. What is known at once goes into {@code outcomes}; the bulk jobs Zendesk
   * accepted are returned, to be polled. While the export is read for user ids, a batch with
   * members it has not reached yet is not sent: all of its members are deferred (the page read
   * for it made others known, and the engine sends full batches of those first).
   *
   * @throws ZendeskException when a call failed for the whole batch
   */
  public List<SubmittedJob> write(List<PendingUpdate> batch, Outcomes outcomes)
      throws InterruptedException {
    Map<PendingUpdate, Map<String, Object>> fields = userFields(batch, outcomes);
    if (fields.isEmpty()) {
      return List.of();
    }
    if (bulkImport) {
      List<Item> items = createItems(fields, outcomes);
      if (items.size() == 1 && http.singleUserLimiter().isFree(items.get(0).update().profileKey())) {
        createOrUpdateOne(items.get(0), outcomes);
        return List.of();
      }
      try {
        return createOrUpdateMany(items, outcomes);
      } catch (ZendeskAuthenticationException refused) {
        if (refused.status() != 403) {
          throw refused;
        }
        switchToUpdateMany();
      }
      fields.keySet().removeIf(outcomes::has);
    }
    return writeByUserId(fields, outcomes);
  }

  /** Builds each member's fields; a member whose fields cannot be built fails alone. */
  private Map<PendingUpdate, Map<String, Object>> userFields(List<PendingUpdate> batch,
      Outcomes outcomes) {
    Map<PendingUpdate, Map<String, Object>> fields = new LinkedHashMap<>();
    for (PendingUpdate update : batch) {
      try {
        fields.put(update, settings.schema().userFields(update.member()));
      } catch (RuntimeException invalid) {
        outcomes.failed(update, new ZendeskException("member " + update.memberId()
            + " cannot be written to Zendesk: " + invalid.getMessage(), ZendeskException.NO_STATUS,
            null, Map.of(), null, invalid));
      }
    }
    return fields;
  }

  /**
   * The members of a create-or-update call, each with or without its email. Under email
   * identity the email is the match key and always goes. Under external-id identity it goes
   * only to a user known to be missing, so a created user gets its email and an existing one
   * never gets a second identity: members whose user id is not cached are looked up first.
   */
  private List<Item> createItems(Map<PendingUpdate, Map<String, Object>> fields,
      Outcomes outcomes) throws InterruptedException {
    if (settings.identity() == IdentityPolicy.EMAIL) {
      return fields.entrySet().stream()
          .map(entry -> new Item(entry.getKey(), entry.getValue(), true)).toList();
    }
    List<PendingUpdate> toLookUp = fields.keySet().stream().filter(update -> update.member().email() != null
        && directory.cached(update.profileKey()) == null).toList();
    Set<PendingUpdate> missing = Set.of();
    if (!toLookUp.isEmpty()) {
      missing = Set.copyOf(directory.resolve(toLookUp, outcomes).missing());
    }
    List<Item> items = new ArrayList<>();
    for (PendingUpdate update : fields.keySet()) {
      if (!outcomes.has(update)) {
        items.add(new Item(update, fields.get(update), missing.contains(update)));
      }
    }
    return items;
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

  private List<SubmittedJob> writeByUserId(Map<PendingUpdate, Map<String, Object>> fields,
      Outcomes outcomes) throws InterruptedException {
    if (fields.isEmpty()) {
      return List.of();
    }
    if (settings.identity() == IdentityPolicy.EXTERNAL_ID) {
      return writeByExternalId(fields, outcomes);
    }
    UserDirectory.Resolution resolution =
        directory.resolve(new ArrayList<>(fields.keySet()), outcomes);
    if (!resolution.notYetKnown().isEmpty()) {
      fields.keySet().forEach(outcomes::deferred);
      return List.of();
    }
    for (PendingUpdate update : resolution.missing()) {
      writeMissing(update, fields.get(update), outcomes);
    }
    Map<PendingUpdate, Long> found = resolution.found();
    if (found.isEmpty()) {
      return List.of();
    }
    if (found.size() == 1) {
      Map.Entry<PendingUpdate, Long> only = found.entrySet().iterator().next();
      if (http.singleUserLimiter().isFree(only.getKey().profileKey())) {
        updateOne(only.getKey(), only.getValue(), fields.get(only.getKey()), outcomes);
        return List.of();
      }
    }
    Map<PendingUpdate, Long> ids = new LinkedHashMap<>(found);
    return updateMany(new ArrayList<>(found.keySet()), ids, fields, outcomes);
  }

  /**
   * Under external-id identity no lookup comes first: {@code update_many} addresses users by
   * external id (or by user id when known). An item that fails is looked up when the job ends
   * ({@link #poll}): a user that does not exist is created or skipped, by policy.
   */
  private List<SubmittedJob> writeByExternalId(Map<PendingUpdate, Map<String, Object>> fields,
      Outcomes outcomes) throws InterruptedException {
    Map<PendingUpdate, Long> ids = new LinkedHashMap<>();
    fields.keySet().forEach(update -> ids.put(update, directory.cached(update.profileKey())));
    if (ids.size() == 1 && ids.values().iterator().next() != null) {
      Map.Entry<PendingUpdate, Long> only = ids.entrySet().iterator().next();
      if (http.singleUserLimiter().isFree(only.getKey().profileKey())) {
        updateOne(only.getKey(), only.getValue(), fields.get(only.getKey()), outcomes);
        return List.of();
      }
    }
    return updateMany(new ArrayList<>(ids.keySet()), ids, fields, outcomes);
  }

  /** A member Zendesk has no user for: created one at a time, or skipped, by policy. */
  private void writeMissing(PendingUpdate update, Map<String, Object> userFields,
      Outcomes outcomes) throws InterruptedException {
    if (settings.missingUsers() == MissingUserPolicy.CREATE) {
      try {
        createOrUpdateOne(new Item(update, userFields, true), outcomes);
      } catch (ZendeskException failure) {
        outcomes.failed(update, failure);
      }
    } else {
      outcomes.succeeded(update, Outcome.SKIPPED_NO_USER, null);
    }
  }

  private void createOrUpdateOne(Item item, Outcomes outcomes) throws InterruptedException {
    PendingUpdate update = item.update();
    Map<String, Object> body = Map.of("user", createOrUpdateUser(item));
    CreatedOrUpdated answer = http.call(ZendeskOperation.CREATE_OR_UPDATE_USER,
        "/users/create_or_update", body, update.profileKey(), (status, json) ->
            new CreatedOrUpdated(status == 201,
                AnswerReader.id(AnswerReader.object(json, "user"), "'user'")));
    directory.remember(update.profileKey(), answer.userId());
    outcomes.succeeded(update, answer.created() ? Outcome.CREATED : Outcome.UPDATED,
        answer.userId());
  }

  private record CreatedOrUpdated(boolean created, long userId) {}

  private void updateOne(PendingUpdate update, long userId, Map<String, Object> userFields,
      Outcomes outcomes) throws InterruptedException {
    Map<String, Object> body = Map.of("user", Map.of("user_fields", userFields));
    try {
      http.call(ZendeskOperation.UPDATE_USER, "/users/" + userId, body, update.profileKey(),
          (status, json) -> AnswerReader.id(AnswerReader.object(json, "user"), "'user'"));
      outcomes.succeeded(update, Outcome.UPDATED, userId);
    } catch (ZendeskException failure) {
      directory.forget(update.profileKey());
      outcomes.failed(update, failure);
    }
  }

  /**
   * One {@code create_or_update_many} job, or, when Zendesk refuses the request itself (400,
   * 413, 414, 422), two halves, until the member it cannot take fails alone.
   */
  private List<SubmittedJob> createOrUpdateMany(List<Item> items, Outcomes outcomes)
      throws InterruptedException {
    return halvedUntilTaken(items, Item::update, outcomes, part -> {
      List<Map<String, Object>> users = new ArrayList<>();
      part.forEach(item -> users.add(createOrUpdateUser(item)));
      String jobId = http.call(ZendeskOperation.CREATE_OR_UPDATE_MANY_USERS,
          "/users/create_or_update_many", Map.of("users", users), null, UserWriter::jobId);
      return new SubmittedJob(jobId, part.stream().map(Item::update).toList(),
          Arrays.asList(new Long[part.size()]), settings.clock().instant());
    });
  }

  /**
   * {@code update_many}, split in halves like {@link #createOrUpdateMany} when refused. A member
   * without a known user id is addressed by its external id.
   */
  private List<SubmittedJob> updateMany(List<PendingUpdate> updates, Map<PendingUpdate, Long> ids,
      Map<PendingUpdate, Map<String, Object>> fields, Outcomes outcomes)
      throws InterruptedException {
    return halvedUntilTaken(updates, update -> update, outcomes, part -> {
      List<Map<String, Object>> users = new ArrayList<>();
      List<Long> userIds = new ArrayList<>();
      Set<PendingUpdate> byExternalId = new HashSet<>();
      for (PendingUpdate update : part) {
        Map<String, Object> user = new LinkedHashMap<>();
        Long id = ids.get(update);
        if (id != null) {
          user.put("id", id);
        } else {
          user.put("external_id", update.memberId());
          byExternalId.add(update);
        }
        user.put("user_fields", fields.get(update));
        users.add(user);
        userIds.add(id);
      }
      String jobId = http.call(ZendeskOperation.UPDATE_MANY_USERS, "/users/update_many",
          Map.of("users", users), null, UserWriter::jobId);
      return new SubmittedJob(jobId, List.copyOf(part), userIds, settings.clock().instant(),
          Set.copyOf(byExternalId));
    });
  }

  /** One bulk call for a part of a batch. */
  @FunctionalInterface
  private interface BulkCall<T> {
    SubmittedJob submit(List<T> part) throws InterruptedException;
  }

  /**
   * {@code items} in one bulk call or, when Zendesk refuses the request itself (400, 413, 414,
   * 422: one member's value, or a request too large), in two halves, and so on, until the one
   * item it cannot take fails alone and every other item is in a job.
   */
  private static <T> List<SubmittedJob> halvedUntilTaken(List<T> items,
      Function<T, PendingUpdate> updateOf, Outcomes outcomes, BulkCall<T> call)
      throws InterruptedException {
    try {
      return List.of(call.submit(items));
    } catch (ZendeskException refused) {
      if (!Failures.isRequestProblem(refused)) {
        throw refused;
      }
      if (items.size() == 1) {
        outcomes.failed(updateOf.apply(items.get(0)), refused);
        return List.of();
      }
      List<SubmittedJob> jobs = new ArrayList<>(halvedUntilTaken(
          items.subList(0, items.size() / 2), updateOf, outcomes, call));
      jobs.addAll(halvedUntilTaken(items.subList(items.size() / 2, items.size()), updateOf,
          outcomes, call));
      return jobs;
    }
  }

  private static String jobId(int status, JsonNode body) {
    return AnswerReader.text(AnswerReader.object(body, "job_status"), "id", "'job_status'");
  }

  /** The user object of a create-or-update call; the email only where the item says so. */
  private Map<String, Object> createOrUpdateUser(Item item) {
    LoyaltyMember member = item.update().member();
    Map<String, Object> user = new LinkedHashMap<>();
    if (settings.identity() == IdentityPolicy.EXTERNAL_ID) {
      user.put("external_id", member.memberId());
    }
    if (item.withEmail() && member.email() != null) {
      user.put("email", member.email());
    }
    user.put("name", displayName(member));
    user.put("skip_verify_email", true);
    user.put("user_fields", item.fields());
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

  /**
   * Polls the given jobs with one call and records the outcome of every member of every job that
   * ended. When the poll itself fails, jobs past the job timeout end too.
   *
   * @return the jobs that ended (completed, failed, killed, or past the job timeout), and those
   *     given up on at the timeout
   */
  JobResults.Polled poll(List<SubmittedJob> jobs, Outcomes outcomes)
      throws InterruptedException {
    Map<PendingUpdate, ZendeskException> toCheck = new LinkedHashMap<>();
    JobResults.Polled polled = jobResults.poll(jobs, outcomes, toCheck);
    if (!toCheck.isEmpty()) {
      checkMissing(toCheck, outcomes);
    }
    return polled;
  }

  /** See {@link JobResults#pollLate}. */
  List<SubmittedJob> pollLate(List<SubmittedJob> late) throws InterruptedException {
    return jobResults.pollLate(late);
  }

  /**
   * Members whose update by external id failed: those Zendesk has no user for are created or
   * skipped, by policy; the others keep their failure.
   */
  private void checkMissing(Map<PendingUpdate, ZendeskException> failed, Outcomes outcomes)
      throws InterruptedException {
    UserDirectory.Resolution resolution =
        directory.resolve(new ArrayList<>(failed.keySet()), outcomes);
    resolution.found().keySet().forEach(update -> outcomes.failed(update, failed.get(update)));
    for (PendingUpdate update : resolution.missing()) {
      Map<String, Object> userFields;
      try {
        userFields = settings.schema().userFields(update.member());
      } catch (RuntimeException invalid) {
        outcomes.failed(update, failed.get(update));
        continue;
      }
      writeMissing(update, userFields, outcomes);
    }
  }
}
