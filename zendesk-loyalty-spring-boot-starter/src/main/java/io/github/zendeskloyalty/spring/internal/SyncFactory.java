package io.github.zendeskloyalty.spring.internal;

import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.client.OAuthTokens;
import io.github.zendeskloyalty.client.RateLimits;
import io.github.zendeskloyalty.client.RetryPolicy;
import io.github.zendeskloyalty.client.SharedExportPages;
import io.github.zendeskloyalty.client.SingleUserWriteSlots;
import io.github.zendeskloyalty.client.Sleeper;
import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.ZendeskCredentials;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.spring.ZendeskLoyaltyProperties;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds a {@link ZendeskLoyaltySync} from {@code zendesk.loyalty.*}, refusing what is missing
 * or wrong with a message naming the property. Not part of the API.
 */
public final class SyncFactory {

  private static final String PREFIX = "zendesk.loyalty.";

  private SyncFactory() {}

  /**
   * The SDK the properties describe, taking its single-user write slots from {@code writeSlots}
   * when the application shares some between instances (and its export passes too, when they
   * are also {@link SharedExportPages}), and its clock and sleeper from the
   * application's beans (a test's {@code ManualClock} is both); each {@code null} for the SDK's
   * default.
   *
   * @throws IllegalStateException naming the property that is missing or wrong
   */
  public static ZendeskLoyaltySync build(ZendeskLoyaltyProperties properties, FieldSchema schema,
      SyncListener listener, SingleUserWriteSlots writeSlots, OAuthTokenStore tokenStore,
      Clock clock, Sleeper sleeper) {
    ZendeskLoyaltySync.Builder builder = ZendeskLoyaltySync.builder().schema(schema)
        .listener(listener);
    if (writeSlots != null) {
      builder.singleUserWriteSlots(writeSlots);
    }
    if (writeSlots instanceof SharedExportPages pages) { // PostgresWriteSlots, RedisWriteSlots
      builder.sharedExportPages(pages);
    }
    if (clock != null) {
      builder.clock(clock);
    }
    if (sleeper != null) {
      builder.sleeper(sleeper);
    }
    account(properties, builder);
    builder.credentials(credentials(properties, tokenStore != null ? tokenStore
        : writeSlots instanceof OAuthTokenStore shared ? shared : null));
    set("identity", properties.getIdentity(), builder::identity);
    set("missing-users", properties.getMissingUsers(), builder::missingUsers);
    ZendeskLoyaltyProperties.Batch batch = properties.getBatch();
    set("batch.max-size", batch.getMaxSize(), builder::maxBatchSize);
    set("batch.max-delay", batch.getMaxDelay(), builder::maxDelay);
    set("batch.max-pending-members", batch.getMaxPendingMembers(), builder::maxPendingMembers);
    set("batch.backpressure", batch.getBackpressure(), builder::backpressure);
    set("rate-limits", properties.getRateLimits(), limits -> builder.rateLimits(rateLimits(limits)));
    set("retry", properties.getRetry(), retry -> builder.retryPolicy(retryPolicy(retry)));
    ZendeskLoyaltyProperties.Timeouts timeouts = properties.getTimeouts();
    set("timeouts.request", timeouts.getRequest(), builder::requestTimeout);
    set("timeouts.job", timeouts.getJob(), builder::jobTimeout);
    set("timeouts.job-poll-interval", timeouts.getJobPollInterval(), builder::jobPollInterval);
    set("timeouts.close", timeouts.getClose(), builder::closeTimeout);
    return builder.build();
  }

  private static void account(ZendeskLoyaltyProperties properties,
      ZendeskLoyaltySync.Builder builder) {
    boolean subdomain = properties.getSubdomain() != null && !properties.getSubdomain().isBlank();
    if (subdomain && properties.getBaseUri() != null) {
      throw new IllegalStateException("Set one of " + PREFIX + "subdomain and " + PREFIX
          + "base-uri, not both");
    }
    if (!subdomain && properties.getBaseUri() == null) {
      throw new IllegalStateException(PREFIX + "subdomain is not set: set it to the account's"
          + " name, as in NAME.zendesk.com (or set " + PREFIX + "base-uri)");
    }
    if (subdomain) {
      set("subdomain", properties.getSubdomain().strip(), builder::subdomain);
    } else {
      set("base-uri", properties.getBaseUri(), builder::baseUri);
    }
  }

  /**
   * OAuth first: client credentials, or a refresh token, with the shared store when there is
   * one; else a static OAuth token; else the legacy API token.
   */
  private static ZendeskCredentials credentials(ZendeskLoyaltyProperties properties,
      OAuthTokenStore store) {
    ZendeskLoyaltyProperties.OAuth oauth = properties.getOauth();
    boolean client = present(oauth.getClientId());
    boolean apiToken = present(properties.getApiToken());
    boolean oauthToken = present(properties.getOauthToken());
    if ((client ? 1 : 0) + (apiToken ? 1 : 0) + (oauthToken ? 1 : 0) > 1) {
      throw new IllegalStateException("Set one of " + PREFIX + "oauth.client-id, " + PREFIX
          + "oauth-token and " + PREFIX + "api-token, not several");
    }
    if (client) {
      return oauth(oauth, store);
    }
    if (oauthToken) {
      return checked("oauth-token", () -> ZendeskCredentials.oauth(properties.getOauthToken()));
    }
    if (!apiToken) {
      throw new IllegalStateException(PREFIX + "oauth.client-id is not set: set it and " + PREFIX
          + "oauth.client-secret to an OAuth client of the account (Admin Center > Apps and"
          + " integrations > APIs > OAuth clients), or " + PREFIX + "oauth.refresh-token for a"
          + " connected account");
    }
    if (!present(properties.getEmail())) {
      throw new IllegalStateException(PREFIX + "email is not set: an API token needs the email"
          + " of its owner");
    }
    return checked("api-token", () -> ZendeskCredentials.apiToken(properties.getEmail().strip(),
        properties.getApiToken().strip()));
  }

  private static ZendeskCredentials oauth(ZendeskLoyaltyProperties.OAuth oauth,
      OAuthTokenStore store) {
    String id = oauth.getClientId().strip();
    ZendeskCredentials.OAuthBuilder builder;
    if (present(oauth.getRefreshToken())) {
      builder = checked("oauth.refresh-token", () -> ZendeskCredentials.oauthRefreshToken(id,
          oauth.getClientSecret(), OAuthTokens.ofRefreshToken(oauth.getRefreshToken().strip())));
    } else if (!present(oauth.getClientSecret())) {
      throw new IllegalStateException(PREFIX + "oauth.client-secret is not set: client"
          + " credentials need the client's secret (or set " + PREFIX + "oauth.refresh-token)");
    } else {
      builder = checked("oauth.client-secret", () -> ZendeskCredentials.oauthClientCredentials(
          id, oauth.getClientSecret()));
    }
    set("oauth.scopes", oauth.getScopes().toArray(String[]::new), builder::scopes);
    set("oauth.refresh-margin", oauth.getRefreshMargin(), builder::refreshMargin);
    if (present(oauth.getEncryptionKey())) {
      set("oauth.encryption-key", oauth.getEncryptionKey(), key -> {
        byte[] bytes;
        try {
          bytes = Base64.getDecoder().decode(key.strip());
        } catch (IllegalArgumentException notBase64) {
          throw new IllegalArgumentException("not base64 (its value is not shown)");
        }
        if (bytes.length != 16 && bytes.length != 32) {
          throw new IllegalArgumentException("an AES key has 16 or 32 bytes: " + bytes.length);
        }
        builder.encryptionKey(new SecretKeySpec(bytes, "AES"));
      });
    }
    if (store != null) {
      builder.tokenStore(store);
    }
    return builder.build();
  }

  private static RateLimits rateLimits(ZendeskLoyaltyProperties.RateLimits limits) {
    RateLimits.Builder builder = RateLimits.defaults().toBuilder();
    set("rate-limits.requests-per-minute", limits.getRequestsPerMinute(),
        builder::requestsPerMinute);
    set("rate-limits.max-concurrent-jobs", limits.getMaxConcurrentJobs(),
        builder::maxConcurrentJobs);
    set("rate-limits.default-retry-after", limits.getDefaultRetryAfter(),
        builder::defaultRetryAfter);
    return checkedGroup("rate-limits", builder::build);
  }

  private static RetryPolicy retryPolicy(ZendeskLoyaltyProperties.Retry retry) {
    RetryPolicy.Builder builder = RetryPolicy.builder();
    set("retry.base-delay", retry.getBaseDelay(), builder::baseDelay);
    set("retry.max-delay", retry.getMaxDelay(), builder::maxDelay);
    set("retry.max-attempts", retry.getMaxAttempts(), builder::maxAttempts);
    set("retry.deadline", retry.getDeadline(), builder::deadline);
    return checkedGroup("retry", builder::build);
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  /** Applies a set property, naming it when the SDK refuses its value. */
  private static <T> void set(String property, T value, Consumer<T> setter) {
    if (value != null) {
      checked(property, () -> {
        setter.accept(value);
        return null;
      });
    }
  }

  /**
   * Builds a group of settings checked together, naming the one the SDK refused when its message
   * starts with it ({@code maxAttempts must be ...} is {@code retry.max-attempts}).
   */
  private static <T> T checkedGroup(String group, Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException wrong) {
      String message = String.valueOf(wrong.getMessage());
      String first = message.split("\\s", 2)[0];
      String kebab = first.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
      throw new IllegalStateException(PREFIX + group + (first.matches("[a-z][A-Za-z]*")
          ? "." + kebab : "") + " is wrong: " + message, wrong);
    }
  }

  private static <T> T checked(String property, Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException wrong) {
      throw new IllegalStateException(PREFIX + property + " is wrong: " + wrong.getMessage(),
          wrong);
    }
  }
}
