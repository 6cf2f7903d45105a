package io.github.zendeskloyalty.client;

import static io.github.zendeskloyalty.client.internal.GoodwillText.number;
import static io.github.zendeskloyalty.client.internal.GoodwillText.points;
import static io.github.zendeskloyalty.client.internal.GoodwillText.quoted;
import static io.github.zendeskloyalty.client.internal.GoodwillText.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.zendeskloyalty.client.internal.GoodwillText;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Goodwill points granted from a Zendesk ticket: the receiving side of the loop. An agent sets
 * the goodwill field (and a reason) on a ticket; a trigger calls a webhook with a JSON body
 * ({@link #WEBHOOK_BODY}); {@link #handle} verifies its signature, drops a duplicate delivery,
 * applies the {@link GoodwillPolicy}, calls the {@link GoodwillHandler}, syncs the member it
 * answers like any points change, and leaves an internal note on the ticket ("Awarded 100 points:
 * late delivery. Balance 1,350.") while clearing the goodwill field. A refused, waiting or failed
 * grant says why in the note, never silently. No web framework needed: give it the request's
 * headers and raw body, answer with {@link Response#status()}.
 *
 * <pre>{@code
 * AgentActions actions = AgentActions.builder()
 *     .sync(sync)
 *     .verifier(ZendeskWebhookVerifier.builder().signingSecret(secret).build())
 *     .goodwillField(goodwillFieldId)                 // the ticket field the trigger watches
 *     .handler(grant -> loyalty.award(grant))         // answers the member afterwards
 *     .policy(GoodwillPolicy.defaults())
 *     .build();
 * AgentActions.Response response = actions.handle(request.headers(), request.body());
 * return status(response.status());
 * }</pre>
 *
 * <p>Thread-safe. Deliveries of one invocation (the same {@code X-Zendesk-Webhook-Invocation-Id})
 * and a trigger firing twice for one ticket update (the same {@code request} in the body) grant
 * once, for two days, across the instances that share one {@link SharedDeliveries}.
 */
public final class AgentActions {

  /**
   * The trigger's webhook body, with Zendesk's placeholders ({@code <field>} is the goodwill
   * field's id, {@code <reason>} the reason field's).
   */
  public static final String WEBHOOK_BODY = "{\"ticket_id\": \"{{ticket.id}}\","
      + " \"requester_email\": \"{{ticket.requester.email}}\","
      + " \"requester_external_id\": \"{{ticket.requester.external_id}}\","
      + " \"points\": \"{{ticket.ticket_field_<field>}}\","
      + " \"reason\": \"{{ticket.ticket_field_<reason>}}\","
      + " \"agent_id\": \"{{current_user.id}}\","
      + " \"request\": \"{{ticket.id}}-{{ticket.updated_at_with_timestamp}}\"}";

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  /** How long a handled delivery is remembered: Zendesk retries for minutes, not days. */
  private static final java.time.Duration REMEMBERED = java.time.Duration.ofDays(2);
  /** How long a grant waits for approval. */
  private static final java.time.Duration AWAITING_KEPT = java.time.Duration.ofDays(7);

  /** What became of a request. */
  public enum Outcome {
    /** The points were awarded, the profile synced and the ticket noted. */
    GRANTED,
    /** A delivery of an invocation (or a trigger's second firing) already handled. */
    DUPLICATE,
    /** Above the approval threshold: noted, waiting for {@link #approve}. */
    AWAITING_APPROVAL,
    /** Against the policy: noted, nothing awarded. */
    REFUSED,
    /** The handler failed: noted, nothing awarded. */
    FAILED,
    /** A bad or missing signature, or a stale timestamp: nothing done, nothing noted. */
    UNAUTHORIZED,
    /** Not the body of the agent action's webhook. */
    BAD_REQUEST
  }

  /**
   * The answer to give Zendesk, and what happened.
   *
   * @param reason why, in a few fixed words (for meters): {@code granted}, {@code duplicate},
   *     {@code awaiting_approval}, {@code not_positive}, {@code bad_points},
   *     {@code over_grant_limit}, {@code over_daily_limit}, {@code no_requester},
   *     {@code handler_refused}, {@code handler_failed}, {@code bad_signature},
   *     {@code bad_bearer_token}, {@code not_a_grant}
   * @param note the internal note left on the ticket, or null
   */
  public record Response(int status, Outcome outcome, String reason, String note) {}

  /** Hears each request's outcome (the meters). */
  @FunctionalInterface
  public interface Listener {
    /** A request was handled. */
    void onHandled(Response response);
  }

  private final ZendeskLoyaltySync sync;
  private final ZendeskWebhookVerifier verifier;
  private final GoodwillHandler handler;
  private final GoodwillPolicy policy;
  private final long goodwillField;
  private final Clock clock;
  private final List<Listener> listeners;
  private final SharedDeliveries deliveries;
  private final String bearerToken;
  /** Where daily totals and grants waiting are kept while {@link #deliveries} fails to answer. */
  private final SharedDeliveries own = SharedDeliveries.inMemory();

  private AgentActions(Builder builder) {
    this.sync = builder.sync;
    this.verifier = builder.verifier;
    this.handler = builder.handler;
    this.policy = builder.policy;
    this.goodwillField = builder.goodwillField;
    this.clock = builder.clock;
    this.listeners = List.copyOf(builder.listeners);
    this.deliveries = builder.deliveries;
    this.bearerToken = builder.bearerToken;
  }

  /** A builder; the sync, the verifier, the goodwill field and the handler are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Handles a webhook request: 401 for a bad signature (logged without its body), 400 for a
   * body that is no grant, else 200 with what became of it.
   */
  public Response handle(Map<String, List<String>> headers, byte[] body)
      throws InterruptedException {
    if (bearerToken != null && !bearerMatches(headers)) {
      LOG.log(Level.WARNING, "refused a goodwill webhook: no or another bearer token");
      return told(new Response(401, Outcome.UNAUTHORIZED, "bad_bearer_token", null));
    }
    ZendeskWebhookVerifier.Verdict verdict = verifier.verify(headers, body);
    if (!verdict.valid()) {
      LOG.log(Level.WARNING, "refused a goodwill webhook: " + verdict.reason());
      return told(new Response(401, Outcome.UNAUTHORIZED, "bad_signature", null));
    }
    GoodwillGrant grant;
    String request;
    try {
      JsonNode json = JSON.readTree(body);
      String invocation = ZendeskWebhookVerifier.header(headers,
          ZendeskWebhookVerifier.INVOCATION_ID_HEADER);
      grant = new GoodwillGrant(invocation != null ? invocation : json.path("request").asText(),
          Long.parseLong(json.path("ticket_id").asText()),
          blankToNull(json.path("requester_email").asText(null)),
          blankToNull(json.path("requester_external_id").asText(null)),
          points(json.path("points").asText()), json.path("reason").asText(""),
          Long.parseLong(json.path("agent_id").asText()));
      request = json.path("request").asText(grant.id());
    } catch (GoodwillText.PointsRefused refused) {
      return told(refusedPoints(headers, body, refused.getMessage()));
    } catch (IOException | RuntimeException notAGrant) {
      LOG.log(Level.WARNING, "a goodwill webhook whose body is no grant (400): "
          + notAGrant.getClass().getSimpleName());
      return told(new Response(400, Outcome.BAD_REQUEST, "not_a_grant", null));
    }
    if (!claim(List.of("invocation:" + grant.id(), "request:" + request))) {
      return told(new Response(200, Outcome.DUPLICATE, "duplicate", null));
    }
    if (grant.requesterEmail() == null && grant.requesterExternalId() == null) {
      return told(noted(grant, Outcome.REFUSED, "no_requester", "Goodwill points not granted:"
          + " the ticket's requester has no e-mail or external id to find the member by."));
    }
    return told(decide(grant));
  }

  /**
   * Grants one waiting for approval (its id is the webhook's invocation id), still within the
   * agent's daily limit; empty when none waits under that id. Any instance sharing the
   * {@link SharedDeliveries} may approve a grant another received, once.
   */
  public Optional<Response> approve(String grantId) throws InterruptedException {
    Instant now = clock.instant();
    Optional<String> waiting;
    try {
      waiting = deliveries.takeAwaiting(grantId, now);
    } catch (RuntimeException | LinkageError storeDown) {
      LOG.log(Level.WARNING, "SharedDeliveries failed; only grants this instance keeps can be"
          + " approved meanwhile", storeDown);
      waiting = Optional.empty();
    }
    if (waiting.isEmpty()) {
      waiting = own.takeAwaiting(grantId, now);
    }
    if (waiting.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(told(grant(readGrant(waiting.get()))));
  }

  /**
   * The grants waiting for approval, on every instance sharing the {@link SharedDeliveries}
   * (the first 1,000); one the store keeps unreadable is logged and left out.
   */
  public List<GoodwillGrant> awaitingApproval() {
    Instant now = clock.instant();
    List<String> waiting = new ArrayList<>();
    try {
      waiting.addAll(deliveries.awaiting(now));
    } catch (RuntimeException | LinkageError storeDown) {
      LOG.log(Level.WARNING, "SharedDeliveries failed; listing the grants this instance keeps",
          storeDown);
    }
    waiting.addAll(own.awaiting(now));
    Map<String, GoodwillGrant> grants = new LinkedHashMap<>();
    for (String json : waiting) {
      try {
        GoodwillGrant grant = readGrant(json);
        grants.putIfAbsent(grant.id(), grant);
      } catch (IllegalStateException unreadable) {
        LOG.log(Level.WARNING, unreadable.getMessage());
      }
    }
    return List.copyOf(grants.values());
  }

  private Response decide(GoodwillGrant grant) throws InterruptedException {
    if (grant.points().signum() <= 0) {
      return noted(grant, Outcome.REFUSED, "not_positive", "Goodwill points not granted: "
          + number(grant.points()) + " is not a positive number of points.");
    }
    if (grant.points().compareTo(policy.maxPerGrant()) > 0) {
      return noted(grant, Outcome.REFUSED, "over_grant_limit", "Goodwill points not granted: "
          + number(grant.points()) + " points is more than the " + number(policy.maxPerGrant())
          + " a grant may give.");
    }
    if (grant.points().compareTo(policy.approvalAbove()) > 0) {
      keepAwaiting(grant);
      return noted(grant, Outcome.AWAITING_APPROVAL, "awaiting_approval",
          "Goodwill points waiting for approval: "
          + number(grant.points()) + " points (reason: " + quoted(grant.reason()) + ") is above "
          + number(policy.approvalAbove()) + ".");
    }
    return grant(grant);
  }

  private Response grant(GoodwillGrant grant) throws InterruptedException {
    String today = "agent-day:" + grant.agentId() + "@"
        + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!addToDailyTotal(today, grant.points())) {
      return noted(grant, Outcome.REFUSED, "over_daily_limit", "Goodwill points not granted: "
          + number(grant.points()) + " points would take this agent past "
          + number(policy.maxPerAgentPerDay()) + " today.");
    }
    LoyaltyMember member;
    try {
      member = handler.award(grant);
      Objects.requireNonNull(member, "the handler answered no member");
    } catch (InterruptedException stop) {
      throw stop;
    } catch (GoodwillRefusedException refused) {
      addToDailyTotal(today, grant.points().negate()); // nothing was awarded
      return noted(grant, Outcome.REFUSED, "handler_refused", "Goodwill points not granted: "
          + text(refused.getMessage()) + ". Nothing was awarded.");
    } catch (Exception | LinkageError failed) {
      addToDailyTotal(today, grant.points().negate()); // nothing was awarded
      LOG.log(Level.WARNING, "a goodwill grant on ticket " + grant.ticketId() + " failed in the"
          + " handler", failed);
      return noted(grant, Outcome.FAILED, "handler_failed", "Goodwill points not granted: the"
          + " loyalty system failed (" + failed.getClass().getSimpleName() + "). Nothing was"
          + " awarded.");
    }
    sync.onPointsChanged(member, SyncTrigger.POINTS_AWARDED);
    String balance = member.availablePoints() == null ? "unknown"
        : number(member.availablePoints());
    return noted(grant, Outcome.GRANTED, "granted", "Awarded " + number(grant.points())
        + " points (reason: " + quoted(grant.reason()) + "). Balance " + balance + ".");
  }

  /** Leaves the note and clears the goodwill field; a note that cannot be written is logged. */
  private Response noted(GoodwillGrant grant, Outcome outcome, String reason, String note)
      throws InterruptedException {
    try {
      sync.ticketNotes().note(grant.ticketId(), note, goodwillField);
    } catch (RuntimeException | LinkageError failed) {
      // the grant's outcome stands (it may already be awarded): answer it, log the note's loss
      LOG.log(Level.WARNING, "could not leave the goodwill note on ticket " + grant.ticketId()
          + " (" + outcome + "): " + failed.getClass().getSimpleName());
    }
    return new Response(200, outcome, reason, note);
  }

  /**
   * Whether no instance handled this delivery before: every key claimed at once, all or none.
   * While the store fails, this instance's memory deduplicates (after a warning): a delivery
   * repeated on this instance still grants once; one repeated on another instance may grant
   * again there, and no grant is ever dropped.
   */
  private boolean claim(List<String> keys) {
    Instant now = clock.instant();
    try {
      boolean claimed = deliveries.claim(keys, now, now.plus(REMEMBERED));
      if (claimed) {
        own.claim(keys, now, now.plus(REMEMBERED)); // known here too, should the store fail next
      }
      return claimed;
    } catch (RuntimeException | LinkageError storeDown) {
      LOG.log(Level.WARNING, "SharedDeliveries failed; this instance deduplicates this delivery"
          + " by its own memory (a repeat on another instance may grant again)", storeDown);
      return own.claim(keys, now, now.plus(REMEMBERED));
    }
  }

  /** Whether the request carries the installation's bearer token (compared in constant time). */
  private boolean bearerMatches(Map<String, List<String>> headers) {
    String given = ZendeskWebhookVerifier.header(headers, "Authorization");
    return given != null && MessageDigest.isEqual(given.strip().getBytes(StandardCharsets.UTF_8),
        ("Bearer " + bearerToken).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A signed request whose points cannot be granted as written: refused with the reason in the
   * note, when the ticket is known; a 400 otherwise.
   */
  private Response refusedPoints(Map<String, List<String>> headers, byte[] body, String why)
      throws InterruptedException {
    long ticket;
    String request;
    String invocation = ZendeskWebhookVerifier.header(headers,
        ZendeskWebhookVerifier.INVOCATION_ID_HEADER);
    try {
      JsonNode json = JSON.readTree(body);
      ticket = Long.parseLong(json.path("ticket_id").asText());
      request = json.path("request").asText(String.valueOf(invocation));
    } catch (IOException | RuntimeException noTicket) {
      return new Response(400, Outcome.BAD_REQUEST, "not_a_grant", null);
    }
    if (!claim(List.of("invocation:" + (invocation != null ? invocation : request),
        "request:" + request))) {
      return new Response(200, Outcome.DUPLICATE, "duplicate", null);
    }
    GoodwillGrant unreadable = new GoodwillGrant(invocation, ticket, null, null, BigDecimal.ZERO,
        "", 0);
    return noted(unreadable, Outcome.REFUSED, "bad_points", "Goodwill points not granted: "
        + why + ".");
  }


  /**
   * Adds to an agent's total of the day, kept two days, across the instances that share
   * {@link #deliveries}; while it fails, in this instance (after a warning): each pod then allows
   * the agent its own limit, never fewer grants than one.
   */
  private boolean addToDailyTotal(String key, BigDecimal points) {
    Instant now = clock.instant();
    Instant keepUntil = now.plus(REMEMBERED);
    BigDecimal limit = policy.maxPerAgentPerDay();
    try {
      return deliveries.addWithin(key, points, limit, now, keepUntil);
    } catch (RuntimeException | LinkageError storeDown) {
      LOG.log(Level.WARNING, "SharedDeliveries failed; this agent's goodwill of the day is"
          + " counted by this instance alone", storeDown);
      return own.addWithin(key, points, limit, now, keepUntil);
    }
  }

  /** Keeps a grant for approval where every instance finds it; while that fails, here. */
  private void keepAwaiting(GoodwillGrant grant) {
    Instant now = clock.instant();
    Instant keepUntil = now.plus(AWAITING_KEPT);
    String json;
    try {
      json = JSON.writeValueAsString(grant);
    } catch (IOException cannotHappen) { // a record of strings, numbers and a BigDecimal
      throw new IllegalStateException("could not write a goodwill grant as JSON", cannotHappen);
    }
    try {
      deliveries.putAwaiting(grant.id(), json, now, keepUntil);
    } catch (RuntimeException | LinkageError storeDown) {
      LOG.log(Level.WARNING, "SharedDeliveries failed; the grant waiting for approval on ticket "
          + grant.ticketId() + " is kept by this instance alone (lost if it restarts)", storeDown);
      own.putAwaiting(grant.id(), json, now, keepUntil);
    }
  }

  /** A grant as {@link #keepAwaiting} wrote it; a store's garbage is refused, naming the store. */
  private static GoodwillGrant readGrant(String json) {
    try {
      GoodwillGrant grant = JSON.readValue(json, GoodwillGrant.class);
      if (grant.id() == null || grant.points() == null) {
        throw new IOException("no id or points");
      }
      return grant;
    } catch (IOException | RuntimeException unreadable) {
      throw new IllegalStateException("a grant waiting for approval in SharedDeliveries is"
          + " unreadable (" + unreadable.getClass().getSimpleName() + ")");
    }
  }

  private Response told(Response response) {
    for (Listener listener : listeners) {
      try {
        listener.onHandled(response);
      } catch (RuntimeException | LinkageError listenerBug) {
        LOG.log(Level.WARNING, "an AgentActions listener threw", listenerBug);
      }
    }
    return response;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  /** Configures {@link AgentActions}. */
  public static final class Builder {
    private ZendeskLoyaltySync sync;
    private ZendeskWebhookVerifier verifier;
    private GoodwillHandler handler;
    private GoodwillPolicy policy = GoodwillPolicy.defaults();
    private long goodwillField = -1;
    private Clock clock = Clock.systemUTC();
    private final List<Listener> listeners = new ArrayList<>();
    private SharedDeliveries deliveries = SharedDeliveries.inMemory();
    private String bearerToken;

    private Builder() {}

    /**
     * The bearer token the webhook sends ({@code installAgentActions(endpoint, bearerToken,
     * ...)}): a request without it is refused (401) before its signature is checked. Never
     * logged.
     */
    public Builder bearerToken(String bearerToken) {
      if (Objects.requireNonNull(bearerToken, "bearerToken").isBlank()) {
        throw new IllegalArgumentException("bearerToken must not be blank");
      }
      this.bearerToken = bearerToken.strip();
      return this;
    }

    /**
     * Where handled deliveries are remembered; default this instance's memory. Several
     * instances receiving the webhook share one ({@code PostgresWriteSlots},
     * {@code RedisWriteSlots}), so a delivery landing twice on different pods grants once.
     */
    public Builder deliveries(SharedDeliveries deliveries) {
      this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
      return this;
    }

    /** Hears each request's outcome (several may); one that throws changes nothing. */
    public Builder listener(Listener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** The SDK that syncs the awarded member and writes the note. */
    public Builder sync(ZendeskLoyaltySync sync) {
      this.sync = Objects.requireNonNull(sync, "sync");
      return this;
    }

    /** The webhook's verifier (its signing secret). */
    public Builder verifier(ZendeskWebhookVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /** The backend's award. */
    public Builder handler(GoodwillHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** The limits; default {@link GoodwillPolicy#defaults()}. */
    public Builder policy(GoodwillPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The id of the ticket field the agent sets (cleared once a grant is handled). */
    public Builder goodwillField(long ticketFieldId) {
      this.goodwillField = ticketFieldId;
      return this;
    }

    /** The clock of the daily limits; default the system's. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The receiver.
     *
     * @throws IllegalStateException naming what is missing
     */
    public AgentActions build() {
      if (sync == null || verifier == null || handler == null || goodwillField < 0) {
        throw new IllegalStateException("AgentActions needs " + (sync == null ? "sync(...)"
            : verifier == null ? "verifier(...)" : handler == null ? "handler(...)"
            : "goodwillField(ticketFieldId)"));
      }
      return new AgentActions(this);
    }
  }
}
