package io.github.zendeskloyalty.spring;

import io.github.zendeskloyalty.client.AgentActions;
import io.github.zendeskloyalty.client.BackpressurePolicy;
import io.github.zendeskloyalty.client.IdentityPolicy;
import io.github.zendeskloyalty.client.MissingUserPolicy;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code zendesk.loyalty.*} properties. Unset ones keep the SDK's defaults.
 *
 * <pre>
 * zendesk:
 *   loyalty:
 *     subdomain: acme
 *     oauth:
 *       client-id: ${ZENDESK_CLIENT_ID}
 *       client-secret: ${ZENDESK_CLIENT_SECRET}
 *       scopes: read,write
 *     fields-on-startup: ensure
 * </pre>
 *
 * <p>The secrets and tokens never appear in {@link #toString()}, logs or messages, and
 * Actuator's {@code /configprops} and {@code /env} show them masked.
 */
@ConfigurationProperties("zendesk.loyalty")
public class ZendeskLoyaltyProperties {

  /** What to check of the user fields when the application starts. */
  public enum FieldsOnStartup {
    /** Check the fields exist with the right types; fail startup when not. */
    VERIFY,
    /** Create the missing fields (an admin's credentials); fail startup when one has another type. */
    ENSURE,
    /** Check nothing; make no call at startup. */
    NONE
  }

  /** The Zendesk account, as in NAME.zendesk.com. Or set base-uri. */
  private String subdomain;

  /** The account's address instead of a subdomain, for example a proxy. */
  private URI baseUri;

  /** OAuth: the credential that lasts (client credentials, or a stored refresh token). */
  private final OAuth oauth = new OAuth();

  /** The email of the API token's owner (legacy: API tokens stop working on 2027-04-30). */
  private String email;

  /** An API token, with email (legacy: Zendesk deactivates every API token on 2027-04-30). Never logged. */
  private String apiToken;

  /** A static OAuth access token that nothing renews; prefer oauth.client-id. Never logged. */
  private String oauthToken;

  /** How members match Zendesk users: by email (default) or by external id (the member id). */
  private IdentityPolicy identity;

  /** What to do with a member without a Zendesk user: create one (default) or skip it. */
  private MissingUserPolicy missingUsers;

  /** What to check of the user fields at startup: verify (default), ensure or none. */
  private FieldsOnStartup fieldsOnStartup = FieldsOnStartup.VERIFY;

  /** Where the account's single-user write slots are shared between replicas. */
  public enum SharedLimits {
    /** Each instance keeps its own (one replica, or bulk import on). */
    NONE,
    /** A table in the application's DataSource (PostgreSQL; zendesk-loyalty-postgresql). */
    JDBC,
    /** A key in the application's Redis (Lettuce; zendesk-loyalty-redis). */
    REDIS
  }

  /** Share single-user write slots between replicas: none (default), jdbc or redis. */
  private SharedLimits sharedLimits = SharedLimits.NONE;

  private final Batch batch = new Batch();
  private final RateLimits rateLimits = new RateLimits();
  private final Retry retry = new Retry();
  private final Timeouts timeouts = new Timeouts();
  private final Health health = new Health();
  private final Reconcile reconcile = new Reconcile();
  private final AgentActionsSettings agentActions = new AgentActionsSettings();

  /**
   * Goodwill points granted from a ticket: the webhook's endpoint (with Spring MVC) and the
   * {@code AgentActions} behind it, with the application's {@code GoodwillHandler} bean.
   */
  public static class AgentActionsSettings {
    /** The webhook's signing secret (printed by 'zendesk-loyalty agent-actions install'). */
    private String signingSecret;
    /** The id of the "Goodwill points" ticket field. */
    private Long goodwillField;
    /** Where the webhook is received (default /zendesk/agent-actions). */
    private String path = "/zendesk/agent-actions";
    /** Accept requests signed with Zendesk's test secret (default false: anyone can sign so). */
    private boolean acceptTestSecret;
    /**
     * The bearer token the webhook sends (ZENDESK_LOYALTY_WEBHOOK_TOKEN at install): requests
     * without it are refused (401). Never logged.
     */
    private String bearerToken;
    /**
     * What a delivery meets while the shared store fails: deduplicate-here (default: granted,
     * deduplicated on this pod) or answer-retry (503, never a second grant across pods).
     */
    private AgentActions.StoreFailure whenStoreFails = AgentActions.StoreFailure.DEDUPLICATE_HERE;
    /** The most points a grant may give (default 1000). */
    private BigDecimal maxPerGrant = new BigDecimal("1000");
    /** The most points an agent may grant in a day, UTC (default 5000). */
    private BigDecimal maxPerAgentPerDay = new BigDecimal("5000");
    /** Grants above this wait for approval (default 500). */
    private BigDecimal approvalAbove = new BigDecimal("500");

    public String getSigningSecret() {
      return signingSecret;
    }

    public void setSigningSecret(String signingSecret) {
      this.signingSecret = signingSecret;
    }

    public Long getGoodwillField() {
      return goodwillField;
    }

    public void setGoodwillField(Long goodwillField) {
      this.goodwillField = goodwillField;
    }

    public String getPath() {
      return path;
    }

    public void setPath(String path) {
      this.path = path;
    }

    public AgentActions.StoreFailure getWhenStoreFails() {
      return whenStoreFails;
    }

    public void setWhenStoreFails(AgentActions.StoreFailure whenStoreFails) {
      this.whenStoreFails = whenStoreFails;
    }

    public boolean isAcceptTestSecret() {
      return acceptTestSecret;
    }

    public String getBearerToken() {
      return bearerToken;
    }

    public void setBearerToken(String bearerToken) {
      this.bearerToken = bearerToken;
    }

    public void setAcceptTestSecret(boolean acceptTestSecret) {
      this.acceptTestSecret = acceptTestSecret;
    }

    public BigDecimal getMaxPerGrant() {
      return maxPerGrant;
    }

    public void setMaxPerGrant(BigDecimal maxPerGrant) {
      this.maxPerGrant = maxPerGrant;
    }

    public BigDecimal getMaxPerAgentPerDay() {
      return maxPerAgentPerDay;
    }

    public void setMaxPerAgentPerDay(BigDecimal maxPerAgentPerDay) {
      this.maxPerAgentPerDay = maxPerAgentPerDay;
    }

    public BigDecimal getApprovalAbove() {
      return approvalAbove;
    }

    public void setApprovalAbove(BigDecimal approvalAbove) {
      this.approvalAbove = approvalAbove;
    }
  }

  /**
   * A scheduled reconcile against the application's {@code MemberSource} bean (see
   * {@code ZendeskLoyaltySync.reconcile}).
   */
  public static class Reconcile {
    /** When, as a Spring cron expression ("0 0 3 * * *": 03:00 daily); none by default. */
    private String cron;
    /** The cron's time zone (default the system's). */
    private ZoneId zone;
    /** Report only, write nothing (default false). */
    private boolean dryRun;
    /** A checkpoint file, so a run stopped by a redeploy goes on from its last page. */
    private Path checkpoint;

    public String getCron() {
      return cron;
    }

    public void setCron(String cron) {
      this.cron = cron;
    }

    public ZoneId getZone() {
      return zone;
    }

    public void setZone(ZoneId zone) {
      this.zone = zone;
    }

    public boolean isDryRun() {
      return dryRun;
    }

    public void setDryRun(boolean dryRun) {
      this.dryRun = dryRun;
    }

    public Path getCheckpoint() {
      return checkpoint;
    }

    public void setCheckpoint(Path checkpoint) {
      this.checkpoint = checkpoint;
    }
  }

  /** Batching of members into bulk calls. */
  public static class Batch {
    /** Members per bulk call, at most 100 (default 100). */
    private Integer maxSize;
    /**
     * How long a member may wait for its batch to fill, or a full batch for a burst repeating
     * its members to pause (default 1s).
     */
    private Duration maxDelay;
    /**
     * Members waiting for Zendesk before back-pressure applies (default 50,000); ten times as
     * many events may wait for their outcome.
     */
    private Integer maxPendingMembers;
    /** When the pending buffer is full: block the caller (default) or fail the event. */
    private BackpressurePolicy backpressure;

    public Integer getMaxSize() {
      return maxSize;
    }

    public void setMaxSize(Integer maxSize) {
      this.maxSize = maxSize;
    }

    public Duration getMaxDelay() {
      return maxDelay;
    }

    public void setMaxDelay(Duration maxDelay) {
      this.maxDelay = maxDelay;
    }

    public Integer getMaxPendingMembers() {
      return maxPendingMembers;
    }

    public void setMaxPendingMembers(Integer maxPendingMembers) {
      this.maxPendingMembers = maxPendingMembers;
    }

    public BackpressurePolicy getBackpressure() {
      return backpressure;
    }

    public void setBackpressure(BackpressurePolicy backpressure) {
      this.backpressure = backpressure;
    }
  }

  /** This application's share of the account's rate limit. */
  public static class RateLimits {
    /** Calls per minute the SDK may make (default 200, Zendesk's smallest plan). */
    private Integer requestsPerMinute;
    /** Bulk jobs running at once, at most 30 (default 30). */
    private Integer maxConcurrentJobs;
    /** The wait after a 429 without Retry-After (default 10s). */
    private Duration defaultRetryAfter;

    public Integer getRequestsPerMinute() {
      return requestsPerMinute;
    }

    public void setRequestsPerMinute(Integer requestsPerMinute) {
      this.requestsPerMinute = requestsPerMinute;
    }

    public Integer getMaxConcurrentJobs() {
      return maxConcurrentJobs;
    }

    public void setMaxConcurrentJobs(Integer maxConcurrentJobs) {
      this.maxConcurrentJobs = maxConcurrentJobs;
    }

    public Duration getDefaultRetryAfter() {
      return defaultRetryAfter;
    }

    public void setDefaultRetryAfter(Duration defaultRetryAfter) {
      this.defaultRetryAfter = defaultRetryAfter;
    }
  }

  /** Retries of failed calls. */
  public static class Retry {
    /** The first backoff (default 500ms). */
    private Duration baseDelay;
    /** The longest backoff (default 30s). */
    private Duration maxDelay;
    /** Failed attempts per call, the first included (default 6). */
    private Integer maxAttempts;
    /** The time a call may take over all attempts and waits (default 2m). */
    private Duration deadline;

    public Duration getBaseDelay() {
      return baseDelay;
    }

    public void setBaseDelay(Duration baseDelay) {
      this.baseDelay = baseDelay;
    }

    public Duration getMaxDelay() {
      return maxDelay;
    }

    public void setMaxDelay(Duration maxDelay) {
      this.maxDelay = maxDelay;
    }

    public Integer getMaxAttempts() {
      return maxAttempts;
    }

    public void setMaxAttempts(Integer maxAttempts) {
      this.maxAttempts = maxAttempts;
    }

    public Duration getDeadline() {
      return deadline;
    }

    public void setDeadline(Duration deadline) {
      this.deadline = deadline;
    }
  }

  /** Timeouts. */
  public static class Timeouts {
    /** One HTTP request (default 30s). */
    private Duration request;
    /** A bulk job, before its members fail as unknown (default 10m). */
    private Duration job;
    /** The longest gap between polls of running bulk jobs (default 1s). */
    private Duration jobPollInterval;
    /** How long shutdown waits for Zendesk to confirm what is pending (default 30s). */
    private Duration close;

    public Duration getRequest() {
      return request;
    }

    public void setRequest(Duration request) {
      this.request = request;
    }

    public Duration getJob() {
      return job;
    }

    public void setJob(Duration job) {
      this.job = job;
    }

    public Duration getJobPollInterval() {
      return jobPollInterval;
    }

    public void setJobPollInterval(Duration jobPollInterval) {
      this.jobPollInterval = jobPollInterval;
    }

    public Duration getClose() {
      return close;
    }

    public void setClose(Duration close) {
      this.close = close;
    }
  }

  /** The Actuator health indicator, zendeskLoyalty. */
  public static class Health {
    /** Out of service while Zendesk has asked to wait longer than this (default 1m). */
    private Duration rateLimitedThreshold = Duration.ofMinutes(1);
    /** How often health re-checks the user fields, one call each time (default 10m). */
    private Duration fieldsCheckInterval = Duration.ofMinutes(10);

    public Duration getRateLimitedThreshold() {
      return rateLimitedThreshold;
    }

    public void setRateLimitedThreshold(Duration rateLimitedThreshold) {
      this.rateLimitedThreshold = rateLimitedThreshold;
    }

    public Duration getFieldsCheckInterval() {
      return fieldsCheckInterval;
    }

    public void setFieldsCheckInterval(Duration fieldsCheckInterval) {
      this.fieldsCheckInterval = fieldsCheckInterval;
    }
  }

  public String getSubdomain() {
    return subdomain;
  }

  public void setSubdomain(String subdomain) {
    this.subdomain = subdomain;
  }

  public URI getBaseUri() {
    return baseUri;
  }

  public void setBaseUri(URI baseUri) {
    this.baseUri = baseUri;
  }

  public String getEmail() {
    return email;
  }

  public void setEmail(String email) {
    this.email = email;
  }

  public String getApiToken() {
    return apiToken;
  }

  public void setApiToken(String apiToken) {
    this.apiToken = apiToken;
  }

  public String getOauthToken() {
    return oauthToken;
  }

  public void setOauthToken(String oauthToken) {
    this.oauthToken = oauthToken;
  }

  public IdentityPolicy getIdentity() {
    return identity;
  }

  public void setIdentity(IdentityPolicy identity) {
    this.identity = identity;
  }

  public MissingUserPolicy getMissingUsers() {
    return missingUsers;
  }

  public void setMissingUsers(MissingUserPolicy missingUsers) {
    this.missingUsers = missingUsers;
  }

  public FieldsOnStartup getFieldsOnStartup() {
    return fieldsOnStartup;
  }

  public void setFieldsOnStartup(FieldsOnStartup fieldsOnStartup) {
    this.fieldsOnStartup = fieldsOnStartup;
  }

  public SharedLimits getSharedLimits() {
    return sharedLimits;
  }

  public void setSharedLimits(SharedLimits sharedLimits) {
    this.sharedLimits = sharedLimits;
  }

  public Batch getBatch() {
    return batch;
  }

  public RateLimits getRateLimits() {
    return rateLimits;
  }

  public Retry getRetry() {
    return retry;
  }

  public Timeouts getTimeouts() {
    return timeouts;
  }

  public AgentActionsSettings getAgentActions() {
    return agentActions;
  }

  public Reconcile getReconcile() {
    return reconcile;
  }

  public Health getHealth() {
    return health;
  }

  public OAuth getOauth() {
    return oauth;
  }

  /**
   * {@code zendesk.loyalty.oauth.*}: an OAuth client of the account (Admin Center > Apps and
   * integrations > APIs > OAuth clients). With a client secret and no refresh token, the
   * client-credentials grant; with a refresh token (from {@code zendesk-loyalty credentials
   * login} or your connect flow), that pair. The token store is the shared-limits store when
   * one is configured.
   */
  public static class OAuth {

    /** The OAuth client's identifier. */
    private String clientId;

    /** The client's secret (confidential clients). Never logged. */
    private String clientSecret;

    /** The scopes to ask for with client credentials, for example read,write. */
    private List<String> scopes = new ArrayList<>();

    /** A refresh token from an authorization-code grant, instead of client credentials. Never logged. */
    private String refreshToken;

    /** A base64 AES key (16 or 32 bytes) that seals the token pair in the shared store. Never logged. */
    private String encryptionKey;

    /** The longest time before expiry an access token is renewed (default 60s). */
    private Duration refreshMargin;

    public String getClientId() {
      return clientId;
    }

    public void setClientId(String clientId) {
      this.clientId = clientId;
    }

    public String getClientSecret() {
      return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
      this.clientSecret = clientSecret;
    }

    public List<String> getScopes() {
      return scopes;
    }

    public void setScopes(List<String> scopes) {
      this.scopes = scopes;
    }

    public String getRefreshToken() {
      return refreshToken;
    }

    public void setRefreshToken(String refreshToken) {
      this.refreshToken = refreshToken;
    }

    public String getEncryptionKey() {
      return encryptionKey;
    }

    public void setEncryptionKey(String encryptionKey) {
      this.encryptionKey = encryptionKey;
    }

    public Duration getRefreshMargin() {
      return refreshMargin;
    }

    public void setRefreshMargin(Duration refreshMargin) {
      this.refreshMargin = refreshMargin;
    }
  }

  /** The account and identity settings; the tokens as set or not, never their values. */
  @Override
  public String toString() {
    return "ZendeskLoyaltyProperties[subdomain=" + subdomain + ", baseUri=" + baseUri
        + ", oauthClientId=" + oauth.clientId + ", oauthClientSecret="
        + (oauth.clientSecret == null ? "unset" : "****")
        + ", apiToken=" + (apiToken == null ? "unset" : "****") + ", oauthToken="
        + (oauthToken == null ? "unset" : "****") + ", identity=" + identity
        + ", missingUsers=" + missingUsers + ", fieldsOnStartup=" + fieldsOnStartup + "]";
  }
}
