package io.github.zendeskloyalty.cli.internal;

import io.github.zendeskloyalty.client.RetryPolicy;
import io.github.zendeskloyalty.client.ZendeskCredentials;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to Zendesk takes: the account, the credentials (from the
 * environment or standard input, never from an argument, which every user of the machine can
 * see), or {@code --fake}. Not part of the API.
 */
public final class Account {

  @Option(names = "--subdomain", paramLabel = "NAME",
      description = "The account, as in NAME.zendesk.com (or ZENDESK_SUBDOMAIN).")
  String subdomain;

  @Option(names = "--base-uri", paramLabel = "URI",
      description = "The account's address instead of a subdomain, e.g. a proxy.")
  URI baseUri;

  @Option(names = "--email", paramLabel = "EMAIL",
      description = "The email of the API token's owner (or ZENDESK_EMAIL).")
  String email;

  @Option(names = "--api-token-stdin",
      description = "Read the API token from standard input (else ZENDESK_API_TOKEN).")
  boolean apiTokenFromStdin;

  @Option(names = "--oauth-token-stdin",
      description = "Read an OAuth token from standard input (else ZENDESK_OAUTH_TOKEN).")
  boolean oauthTokenFromStdin;

  @Option(names = "--fake",
      description = "Run against an embedded fake Zendesk: try every command with nothing else.")
  boolean fake;

  /** A connection to the account: the SDK, and the fake behind it when {@code --fake}. */
  public record Connection(ZendeskLoyaltySync.Builder builder, FakeZendesk fake)
      implements AutoCloseable {
    @Override
    public void close() {
      if (fake != null) {
        fake.close();
      }
    }
  }

  /**
   * Opens the connection.
   *
   * @param provision with {@code --fake}, whether the fake starts with the schema's fields, as
   *     after {@code fields ensure}
   * @throws IllegalArgumentException naming what is missing
   */
  Connection open(Context context, FieldSchema schema, boolean provision) {
    if (fake) {
      FakeZendesk started = FakeZendesk.start();
      context.err().println("Using an embedded fake Zendesk at " + started.baseUri()
          + " (--fake): it starts empty on every run and stops when the command ends.");
      if (provision) {
        started.provision(schema);
      }
      return new Connection(started.syncBuilder().schema(schema), started);
    }
    ZendeskLoyaltySync.Builder builder = ZendeskLoyaltySync.builder().schema(schema);
    String name = subdomain != null ? subdomain : context.env().get("ZENDESK_SUBDOMAIN");
    if (baseUri != null) {
      builder.baseUri(baseUri);
    } else if (name != null && !name.isBlank()) {
      builder.subdomain(name.strip());
    } else {
      throw new IllegalArgumentException("no account: give --subdomain (or ZENDESK_SUBDOMAIN),"
          + " --base-uri, or --fake");
    }
    return new Connection(builder.credentials(credentials(context)), null);
  }

  /**
   * A command that answers a person at a terminal gives up sooner than a backfill: three
   * attempts within 15 seconds, so a wrong subdomain is said at once.
   */
  static ZendeskLoyaltySync.Builder answerSoon(Context context,
      ZendeskLoyaltySync.Builder builder) {
    return builder.sleeper(context.sleeper()).retryPolicy(RetryPolicy.builder().maxAttempts(3)
        .deadline(Duration.ofSeconds(15)).build());
  }

  /** The credentials from standard input or the environment. */
  ZendeskCredentials credentials(Context context) {
    if (oauthTokenFromStdin || (!apiTokenFromStdin && present(context, "ZENDESK_OAUTH_TOKEN"))) {
      String token = oauthTokenFromStdin ? readLine(context) : context.env().get("ZENDESK_OAUTH_TOKEN");
      return ZendeskCredentials.oauth(token);
    }
    String owner = email != null ? email : context.env().get("ZENDESK_EMAIL");
    if (owner == null || owner.isBlank()) {
      throw new IllegalArgumentException("no credentials: give --email (or ZENDESK_EMAIL) and the"
          + " API token in ZENDESK_API_TOKEN (or --api-token-stdin), or an OAuth token in"
          + " ZENDESK_OAUTH_TOKEN");
    }
    return ZendeskCredentials.apiToken(owner.strip(), apiToken(context));
  }

  /** The API token from standard input ({@code --api-token-stdin}) or the environment. */
  String apiToken(Context context) {
    String token = apiTokenFromStdin ? readLine(context) : context.env().get("ZENDESK_API_TOKEN");
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("no API token: set ZENDESK_API_TOKEN or pipe it to"
          + " --api-token-stdin (a token is never taken from an argument, which every user of"
          + " the machine can see)");
    }
    return token.strip();
  }

  /** The email given, for {@code credentials encode}. */
  String email(Context context) {
    String owner = email != null ? email : context.env().get("ZENDESK_EMAIL");
    if (owner == null || owner.isBlank()) {
      throw new IllegalArgumentException("no email: give --email or set ZENDESK_EMAIL");
    }
    return owner.strip();
  }

  private static boolean present(Context context, String variable) {
    String value = context.env().get(variable);
    return value != null && !value.isBlank();
  }

  static String readLine(Context context) {
    try {
      String line = new BufferedReader(new InputStreamReader(context.in(),
          StandardCharsets.UTF_8)).readLine();
      if (line == null || line.isBlank()) {
        throw new IllegalArgumentException("standard input held no token");
      }
      return line.strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
