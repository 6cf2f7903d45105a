package io.github.zendeskloyalty.client;

import static io.github.zendeskloyalty.client.internal.GoodwillText.number;
import static io.github.zendeskloyalty.client.internal.GoodwillText.points;
import static io.github.zendeskloyalty.client.internal.GoodwillText.quoted;
import static io.github.zendeskloyalty.client.internal.GoodwillText.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.zendeskloyalty.client.internal.GoodwillLedger;
import io.github.zendeskloyalty.client.internal.GoodwillText;
import io.github.zendeskloyalty.client.internal.PendingNotes;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
 * headers and raw body, answer with {@link Response#status()} and {@link Response#headers()}.
 *
 * <p>Each note is kept in the {@link SharedDeliveries} before the answer and removed once it is
 * on the ticket: one Zendesk refuses is retried (30 s to 30 min apart, for two days), and while
 * it is pending its ticket stays claimed, so the trigger firing again on a later update of the
 * ticket (its goodwill field still set) grants nothing and writes the note. The answer waits
 * for the note's first write at most {@link Builder#noteWait} (3 s). Close it on shutdown.
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
 * return status(response.status()).headers(response.headers());
 * }</pre>
 *
 * <p>Thread-safe. Deliveries of one invocation (the same {@code X-Zendesk-Webhook-Invocation-Id})
 * and a trigger firing twice for one ticket update (the same {@code request} in the body) grant
 * once, for two days, across the instances that share one {@link SharedDeliveries}.
 */
public final class AgentActions implements AutoCloseable {

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
  /** Deliveries of one invocation whose handler failed before its failure is noted. */
  static final int HANDLER_ATTEMPTS = 3;
  /** What a 503 asks Zendesk to wait: it retries a 503 only with a Retry-After below 60 s. */
  static final int RETRY_AFTER_SECONDS = 10;

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
    /** The handler failed on every delivery Zendesk makes: noted, nothing awarded. */
    FAILED,
    /**
     * Not decided now: the handler failed (its third failure is {@link #FAILED}), or the store
     * failed under {@link StoreFailure#ANSWER_RETRY}. Nothing awarded, nothing noted, answered
     * 503 with a Retry-After so that Zendesk delivers it again.
     */
    RETRY,
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
   *     {@code handler_refused}, {@code handler_failed}, {@code store_down},
   *     {@code bad_signature},
   *     {@code bad_bearer_token}, {@code not_a_grant}
   * @param note the internal note left on the ticket, or null
   */
  public record Response(int status, Outcome outcome, String reason, String note) {

    /** The headers to answer with: {@code Retry-After} on a 503, none otherwise. */
    public Map<String, String> headers() {
      return status == 503 ? Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS))
          : Map.of();
    }
  }

  /** What a receiver does with a delivery while its {@link SharedDeliveries} fails. */
  public enum StoreFailure {
    /**
     * Claims it in this instance's memory and goes on (the default): a grant is never held up,
     * and a delivery repeated on this instance grants once; a copy landing on another instance
     * may grant there again.
     */
    DEDUPLICATE_HERE,
    /**
     * Answers 503 with a Retry-After (Zendesk delivers it again, three times at most): never a
     * second grant across instances; a grant waits for the store, and one whose every delivery
     * met the store down is granted on the ticket's next update (its field still set).
     */
    ANSWER_RETRY
  }

  /** Hears each request's outcome (the meters). */
  @FunctionalInterface
  public interface Listener {
    /** A request was handled. */
    void onHandled(Response response);

    /**
     * An attempt to write a ticket's note ended: {@code written}, {@code retried} (Zendesk
     * refused it; kept for a later attempt) or {@code abandoned} (its two days passed).
     */
    default void onNoteAttempt(String result) {}

    /** The {@link SharedDeliveries} failed on a delivery; the receiver did its {@link StoreFailure}. */
    default void onStoreFailed() {}
  }

  private final ZendeskLoyaltySync sync;
  private final ZendeskWebhookVerifier verifier;
  private final GoodwillHandler handler;
  private final GoodwillPolicy policy;
  private final long goodwillField;
  private final Clock clock;
  private final List<Listener> listeners;
  private final String bearerToken;
  private final StoreFailure storeFailure;
  private final GoodwillLedger ledger;
  private final PendingNotes notes;

  private AgentActions(Builder builder) {
    this.sync = builder.sync;
    this.verifier = builder.verifier;
    this.handler = builder.handler;
    this.policy = builder.policy;
    this.goodwillField = builder.goodwillField;
    this.clock = builder.clock;
    this.listeners = List.copyOf(builder.listeners);
    this.bearerToken = builder.bearerToken;
    this.storeFailure = builder.storeFailure;
    this.ledger = new GoodwillLedger(builder.deliveries, clock, this::toldStoreFailed);
    this.notes = new PendingNotes(ledger.shared(), ledger.own(), sync.ticketNotes(),
        goodwillField, clock, builder.noteWait, builder.repairEvery, this::toldNote);
  }

  /**
   * Writes every pending note that is due (each retried with backoff from 30 s to 30 min, for
   * two days), as the receiver's own thread does every {@link Builder#repairEvery} period.
   *
   * @return how many notes were written
   */
  public int repairPendingNotes() {
    return notes.repairDue();
  }

  /** Stops the receiver's note threads; notes still pending stay in the store for any instance. */
  @Override
  public void close() {
    notes.close();
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
    List<String> keys = deliveryKeys(grant.id(), request, grant.ticketId());
    GoodwillLedger.Claim claim = ledger.claim(keys, storeFailure == StoreFailure.ANSWER_RETRY);
    if (claim != GoodwillLedger.Claim.CLAIMED) {
      return told(unclaimed(claim, grant.ticketId()));
    }
    PendingNotes.Decision decision = notes.deciding(grant.id(), grant.ticketId(),
        unknownOutcome(grant));
    Response response;
    if (grant.requesterEmail() == null && grant.requesterExternalId() == null) {
      response = noted(Outcome.REFUSED, "no_requester", "Goodwill points not granted:"
          + " the ticket's requester has no e-mail or external id to find the member by.");
    } else {
      response = decide(grant);
    }
    return told(answer(decision, keys, response));
  }

  /**
   * Answers a decided delivery once its note is kept in the outbox (and written, if Zendesk
   * takes it within the first wait); a delivery that could not be decided is forgotten, its keys
   * released, so that Zendesk's retry of it decides it.
   */
  private Response answer(PendingNotes.Decision decision, List<String> keys, Response response)
      throws InterruptedException {
    if (response.outcome() == Outcome.RETRY) {
      notes.forget(decision);
      ledger.release(keys);
      return response;
    }
    notes.decided(decision, response.note());
    return response;
  }

  /** A delivery's keys: its invocation, its ticket update, and its ticket while noting it. */
  private static List<String> deliveryKeys(String invocation, String request, long ticket) {
    return List.of("invocation:" + invocation, "request:" + request,
        PendingNotes.ticketKey(ticket));
  }

  /** The note should this instance stop before it knows whether the handler awarded. */
  private static String unknownOutcome(GoodwillGrant grant) {
    return "Goodwill points: the grant of " + number(grant.points()) + " points (reason: "
        + quoted(grant.reason()) + ") was interrupted; whether they were awarded is unknown."
        + " Check the member's points history before granting again.";
  }

  /**
   * Grants one waiting for approval (its id is the webhook's invocation id), still within the
   * agent's daily limit; empty when none waits under that id. Any instance sharing the
   * {@link SharedDeliveries} may approve a grant another received, once.
   */
  public Optional<Response> approve(String grantId) throws InterruptedException {
    Optional<GoodwillGrant> waiting = ledger.takeAwaiting(grantId);
    if (waiting.isEmpty()) {
      return Optional.empty();
    }
    GoodwillGrant grant = waiting.get();
    PendingNotes.Decision decision = notes.deciding(grant.id(), grant.ticketId(),
        unknownOutcome(grant));
    Response response = grant(grant, false);
    notes.decided(decision, response.note());
    return Optional.of(told(response));
  }

  /**
   * The grants waiting for approval, on every instance sharing the {@link SharedDeliveries}
   * (the first 1,000); one the store keeps unreadable is logged and left out.
   */
  public List<GoodwillGrant> awaitingApproval() {
    return ledger.awaiting();
  }


  private Response decide(GoodwillGrant grant) throws InterruptedException {
    if (grant.points().signum() <= 0) {
      return noted(Outcome.REFUSED, "not_positive", "Goodwill points not granted: "
          + number(grant.points()) + " is not a positive number of points.");
    }
    if (grant.points().compareTo(policy.maxPerGrant()) > 0) {
      return noted(Outcome.REFUSED, "over_grant_limit", "Goodwill points not granted: "
          + number(grant.points()) + " points is more than the " + number(policy.maxPerGrant())
          + " a grant may give.");
    }
    if (grant.points().compareTo(policy.approvalAbove()) > 0) {
      ledger.keepAwaiting(grant);
      return noted(Outcome.AWAITING_APPROVAL, "awaiting_approval",
          "Goodwill points waiting for approval: "
          + number(grant.points()) + " points (reason: " + quoted(grant.reason()) + ") is above "
          + number(policy.approvalAbove()) + ".");
    }
    return grant(grant, true);
  }

  /**
   * Awards a grant within the agent's day. A handler that fails on a webhook's delivery is
   * answered "retry" ({@link #HANDLER_ATTEMPTS} deliveries in all), then noted as failed.
   */
  private Response grant(GoodwillGrant grant, boolean redelivered) throws InterruptedException {
    String today = "agent-day:" + grant.agentId() + "@"
        + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    if (!addToDailyTotal(today, grant.points())) {
      return noted(Outcome.REFUSED, "over_daily_limit", "Goodwill points not granted: "
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
      return noted(Outcome.REFUSED, "handler_refused", "Goodwill points not granted: "
          + text(refused.getMessage()) + ". Nothing was awarded.");
    } catch (Exception | LinkageError failed) {
      addToDailyTotal(today, grant.points().negate()); // nothing was awarded
      boolean retried = redelivered && anotherAttempt(grant.id());
      LOG.log(Level.WARNING, "a goodwill grant on ticket " + grant.ticketId() + " failed in the"
          + " handler" + (retried ? "; answered 503 for Zendesk to deliver it again" : ""),
          failed);
      if (retried) {
        return new Response(503, Outcome.RETRY, "handler_failed", null);
      }
      return noted(Outcome.FAILED, "handler_failed", "Goodwill points not granted: the"
          + " loyalty system failed (" + failed.getClass().getSimpleName() + "). Nothing was"
          + " awarded.");
    }
    sync.onPointsChanged(member, SyncTrigger.POINTS_AWARDED);
    String balance = member.availablePoints() == null ? "unknown"
        : number(member.availablePoints());
    return noted(Outcome.GRANTED, "granted", "Awarded " + number(grant.points())
        + " points (reason: " + quoted(grant.reason()) + "). Balance " + balance + ".");
  }

  /** A decided outcome, answered 200: its note goes through the outbox. */
  private static Response noted(Outcome outcome, String reason, String note) {
    return new Response(200, outcome, reason, note);
  }

  /**
   * Whether a delivery whose handler failed may be answered "retry" once more: its deliveries
   * counted across instances (here while the store fails).
   */
  private boolean anotherAttempt(String grantId) {
    return ledger.addWithin("handler-attempts:" + grantId, BigDecimal.ONE,
        BigDecimal.valueOf(HANDLER_ATTEMPTS - 1L), null);
  }



  /**
   * The answer to a delivery not claimed: a duplicate (which writes its ticket's pending note
   * now: a trigger firing again while the note is pending), or "retry" while the store fails.
   */
  private Response unclaimed(GoodwillLedger.Claim claim, long ticket) {
    if (claim == GoodwillLedger.Claim.STORE_DOWN) {
      return new Response(503, Outcome.RETRY, "store_down", null);
    }
    notes.repairTicket(ticket);
    return new Response(200, Outcome.DUPLICATE, "duplicate", null);
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
    String id = invocation != null ? invocation : request;
    List<String> keys = deliveryKeys(id, request, ticket);
    GoodwillLedger.Claim claim = ledger.claim(keys, storeFailure == StoreFailure.ANSWER_RETRY);
    if (claim != GoodwillLedger.Claim.CLAIMED) {
      return unclaimed(claim, ticket);
    }
    PendingNotes.Decision decision = notes.deciding(id, ticket, "Goodwill points not granted:"
        + " " + why + ".");
    return answer(decision, keys, noted(Outcome.REFUSED, "bad_points",
        "Goodwill points not granted: " + why + "."));
  }


  /**
   * Adds to an agent's total of the day, kept two days, across the instances that share the
   * {@link SharedDeliveries}; while it fails, in this instance (after a warning): each pod then
   * allows the agent its own limit, never fewer grants than one.
   */
  private boolean addToDailyTotal(String key, BigDecimal points) {
    return ledger.addWithin(key, points, policy.maxPerAgentPerDay(), "this agent's goodwill of"
        + " the day is counted by this instance alone");
  }


  private void toldNote(String result) {
    tell(listener -> listener.onNoteAttempt(result));
  }

  private void toldStoreFailed() {
    tell(Listener::onStoreFailed);
  }

  private Response told(Response response) {
    tell(listener -> listener.onHandled(response));
    return response;
  }

  /** Tells every listener; one that throws anything (even a checked exception) changes nothing. */
  private void tell(java.util.function.Consumer<Listener> message) {
    for (Listener listener : listeners) {
      try {
        message.accept(listener);
      } catch (Exception | LinkageError listenerBug) {
        LOG.log(Level.WARNING, "an AgentActions listener threw", listenerBug);
      }
    }
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
    private java.time.Duration noteWait = java.time.Duration.ofSeconds(3);
    private java.time.Duration repairEvery = java.time.Duration.ofSeconds(15);
    private StoreFailure storeFailure = StoreFailure.DEDUPLICATE_HERE;

    private Builder() {}

    /** What a delivery meets while the {@link SharedDeliveries} fails; see {@link StoreFailure}. */
    public Builder whenStoreFails(StoreFailure storeFailure) {
      this.storeFailure = Objects.requireNonNull(storeFailure, "storeFailure");
      return this;
    }

    /**
     * How long {@link #handle} waits for a note's first write before answering Zendesk (which
     * gives up after about 10 s); default 3 s. A note not written by then is written on after
     * the answer, and retried.
     */
    public Builder noteWait(java.time.Duration noteWait) {
      if (noteWait.isNegative() || noteWait.compareTo(java.time.Duration.ofSeconds(8)) > 0) {
        throw new IllegalArgumentException("noteWait must be between 0 and 8 s (Zendesk waits"
            + " about 10 s for an answer), not " + noteWait);
      }
      this.noteWait = noteWait;
      return this;
    }

    /**
     * How often this instance looks for pending notes due (its own and other instances'), on
     * one daemon thread; default 15 s. {@link java.time.Duration#ZERO}: never by itself (call
     * {@link AgentActions#repairPendingNotes()}).
     */
    public Builder repairEvery(java.time.Duration repairEvery) {
      if (repairEvery.isNegative()) {
        throw new IllegalArgumentException("repairEvery must not be negative: " + repairEvery);
      }
      this.repairEvery = repairEvery;
      return this;
    }

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
