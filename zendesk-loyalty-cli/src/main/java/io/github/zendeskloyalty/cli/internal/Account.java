package io.github.zendeskloyalty.cli.internal;

import io.github.zendeskloyalty.client.OAuthTokenStore;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options every command that talks to Zendesk takes: the account, the credentials (OAuth
 * first; secrets from the environment or standard input, never from an argument, which every user
 * of the machine can see), or {@code --fake}. Not part of the API.
 */
public final class Account {

  @Option(names = "--subdomain", paramLabel = "NAME",
      description = "The account, as in NAME.zendesk.com (or ZENDESK_SUBDOMAIN).")
  String subdomain;

  @Option(names = "--base-uri", paramLabel = "URI",
      description = "The account's address instead of a subdomain, e.g. a proxy.")
  URI baseUri;

  @Option(names = "--client-id", paramLabel = "ID",
      description = "The OAuth client's identifier (or ZENDESK_CLIENT_ID): with its secret in"
          + " ZENDESK_CLIENT_SECRET (client credentials), or with --token-file.")
  String clientId;

  @Option(names = "--client-secret-stdin",
      description = "Read the OAuth client's secret from standard input (else"
          + " ZENDESK_CLIENT_SECRET).")
  boolean clientSecretFromStdin;

  @Option(names = "--scopes", paramLabel = "SCOPES", split = ",",
      description = "The OAuth scopes to ask for, e.g. read,write (or ZENDESK_OAUTH_SCOPES);"
          + " none asks for the client's defaults.")
  List<String> scopes;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "The OAuth pair 'credentials login' stored (or ZENDESK_TOKEN_FILE): renewed"
          + " and written back in place, readable by its owner only.")
  Path tokenFile;

  @Option(names = "--oauth-token-stdin",
      description = "Read a static OAuth access token from standard input (else"
          + " ZENDESK_OAUTH_TOKEN).")
  boolean oauthTokenFromStdin;

  @Option(names = "--email", paramLabel = "EMAIL",
      description = "Legacy: the email of the API token's owner (or ZENDESK_EMAIL). API tokens"
          + " stop working on 2027-04-30.")
  String email;

  @Option(names = "--api-token-stdin",
      description = "Legacy: read the API token from standard input (else ZENDESK_API_TOKEN).")
  boolean apiTokenFromStdin;

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
    if (baseUri == null && name != null && !name.isBlank()) {
      builder.subdomain(name.strip()); // checked by the builder
    } else {
      builder.baseUri(address(context));
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

  /**
   * The credentials, the first of: a token file ({@code --token-file}) with the client id; the
   * client id and secret (client credentials); a static OAuth token; an email and API token.
   */
  ZendeskCredentials credentials(Context context) {
    String id = clientId(context);
    Path file = tokenFile(context);
    if (file != null) {
      if (id == null) {
        throw new IllegalArgumentException("--token-file needs the OAuth client it was issued"
            + " to: give --client-id (or ZENDESK_CLIENT_ID)");
      }
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no token file " + file + ": run 'zendesk-loyalty"
            + " credentials login --token-file " + file + "' first");
      }
      return ZendeskCredentials.oauthRefreshToken(id, clientSecret(context, false))
          .tokenStore(OAuthTokenStore.file(file)).build();
    }
    if (id != null) {
      return ZendeskCredentials.oauthClientCredentials(id, clientSecret(context, true))
          .scopes(scopes(context).toArray(String[]::new)).build();
    }
    if (oauthTokenFromStdin || (!apiTokenFromStdin && present(context, "ZENDESK_OAUTH_TOKEN"))) {
      String token = oauthTokenFromStdin ? readLine(context) : context.env().get("ZENDESK_OAUTH_TOKEN");
      return ZendeskCredentials.oauth(token);
    }
    String owner = email != null ? email : context.env().get("ZENDESK_EMAIL");
    if (owner == null || owner.isBlank()) {
      throw new IllegalArgumentException("no credentials: give an OAuth client's ZENDESK_CLIENT_ID"
          + " and ZENDESK_CLIENT_SECRET (or --client-id and --client-secret-stdin), or"
          + " --token-file from 'credentials login'; legacy: ZENDESK_EMAIL and ZENDESK_API_TOKEN"
          + " (API tokens stop working on 2027-04-30), or ZENDESK_OAUTH_TOKEN");
    }
    return ZendeskCredentials.apiToken(owner.strip(), apiToken(context));
  }

  /** The OAuth client id given, or null. */
  String clientId(Context context) {
    String id = clientId != null ? clientId : context.env().get("ZENDESK_CLIENT_ID");
    return id == null || id.isBlank() ? null : id.strip();
  }

  /**
   * The OAuth client's secret from standard input or the environment.
   *
   * @param required whether a missing one is an error (client credentials), else null (a public
   *     client)
   */
  String clientSecret(Context context, boolean required) {
    String secret = clientSecretFromStdin ? readLine(context)
        : context.env().get("ZENDESK_CLIENT_SECRET");
    if (secret == null || secret.isBlank()) {
      if (required) {
        throw new IllegalArgumentException("no OAuth client secret: set ZENDESK_CLIENT_SECRET or"
            + " pipe it to --client-secret-stdin (a secret is never taken from an argument,"
            + " which every user of the machine can see)");
      }
      return null;
    }
    return secret.strip();
  }

  /** The scopes given, or none. */
  List<String> scopes(Context context) {
    if (scopes != null) {
      return scopes.stream().map(String::strip).filter(scope -> !scope.isEmpty()).toList();
    }
    String listed = context.env().get("ZENDESK_OAUTH_SCOPES");
    return listed == null ? List.of() : Arrays.stream(listed.split("[,\\s]+"))
        .filter(scope -> !scope.isEmpty()).toList();
  }

  /** The token file given, or null. */
  Path tokenFile(Context context) {
    if (tokenFile != null) {
      return tokenFile;
    }
    String named = context.env().get("ZENDESK_TOKEN_FILE");
    return named == null || named.isBlank() ? null : Path.of(named.strip());
  }

  /**
   * The account's address: {@code --base-uri}, or the subdomain's.
   *
   * @throws IllegalArgumentException when neither is given
   */
  URI address(Context context) {
    if (baseUri != null) {
      return baseUri;
    }
    String name = subdomain != null ? subdomain : context.env().get("ZENDESK_SUBDOMAIN");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("no account: give --subdomain (or ZENDESK_SUBDOMAIN),"
          + " --base-uri, or --fake");
    }
    return URI.create("https://" + name.strip() + ".zendesk.com");
  }

  /** Whether {@code --fake} was given. */
  boolean fake() {
    return fake;
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
