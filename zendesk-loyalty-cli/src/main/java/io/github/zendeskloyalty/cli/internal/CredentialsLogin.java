package io.github.zendeskloyalty.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.zendeskloyalty.client.CurrentUser;
import io.github.zendeskloyalty.client.OAuthAuthorization;
import io.github.zendeskloyalty.client.OAuthTokenStore;
import io.github.zendeskloyalty.client.OAuthTokens;
import io.github.zendeskloyalty.client.ZendeskCredentials;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code credentials login}: the authorization-code grant with PKCE through the person's browser
 * and a callback on this machine's loopback address, for an OAuth client whose redirect URLs list
 * {@code http://127.0.0.1:PORT/callback}. Not part of the API.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
    description = {"Connects an account with OAuth in your browser: prints Zendesk's"
        + " authorization page for the client, waits for Zendesk to send the browser back to"
        + " http://127.0.0.1:PORT/callback (list that address among the client's redirect URLs"
        + " in Admin Center > Apps and integrations > APIs > OAuth clients), trades the code"
        + " for a token pair and stores it in --token-file (readable by you only), where every"
        + " other command renews it; or prints it with --print."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:connected: the pair is stored (or printed) and works",
        "2:a wrong option, the port taken, or the token file unwritable",
        "3:not connected: access denied on the page, no answer in time, or Zendesk refused the"
            + " code",
        "5:no account there: a wrong subdomain or base URI, or no network",
        "6:Zendesk unavailable or rate-limited"},
    footerHeading = "%nExample:%n",
    footer = {"  zendesk-loyalty credentials login --subdomain acme --client-id loyalty-cli"
        + " --token-file ~/.config/zendesk-loyalty/acme.json",
        "  ZENDESK_CLIENT_ID=loyalty-cli zendesk-loyalty backfill members.csv --subdomain acme"
            + " --token-file ~/.config/zendesk-loyalty/acme.json"})
public final class CredentialsLogin implements Callable<Integer> {

  private final Context context;
  @Mixin Account account;
  @Mixin Commands.Output output;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8765",
      description = "The loopback port of the callback (default ${DEFAULT-VALUE}; 0: any free"
          + " port, for a client that allows it).")
  int port;

  @Option(names = "--print",
      description = "Print the pair as JSON on standard output instead of storing it, for your"
          + " secret manager.")
  boolean print;

  @Option(names = "--timeout-seconds", paramLabel = "SECONDS", defaultValue = "300",
      description = "How long to wait for the browser (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  public CredentialsLogin(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    Path file = account.tokenFile(context);
    if ((file == null) == !print) {
      throw new IllegalArgumentException("give --token-file FILE (the pair is stored there) or"
          + " --print (it is printed), one of them");
    }
    if (port < 0 || port > 65_535 || timeoutSeconds < 1) {
      throw new IllegalArgumentException("--port is 0 to 65535 and --timeout-seconds at least 1");
    }
    if (file != null) {
      requireUsable(file);
    }
    try (FakeZendesk fake = account.fake() ? FakeZendesk.start() : null) {
      URI address = fake != null ? fake.baseUri() : account.address(context);
      String clientId = account.clientId(context);
      if (clientId == null && fake != null) {
        clientId = FakeZendesk.OAUTH_PUBLIC_CLIENT_ID;
      }
      if (clientId == null) {
        throw new IllegalArgumentException("no OAuth client: give --client-id (or"
            + " ZENDESK_CLIENT_ID), the identifier of a client in Admin Center > Apps and"
            + " integrations > APIs > OAuth clients");
      }
      String secret = account.clientSecret(context, false);
      List<String> scopes = account.scopes(context);
      OAuthTokens tokens = authorize(address, clientId, secret,
          scopes.isEmpty() ? List.of("read", "write") : scopes);
      if (tokens == null) {
        return ExitCodes.BAD_CREDENTIALS;
      }
      return print ? printed(tokens) : stored(address, clientId, secret, tokens, file);
    }
  }

  /** Before the browser: the file is a token file of the SDK or none, where one can be written. */
  private static void requireUsable(Path file) throws IOException {
    try {
      OAuthTokenStore.file(file).read("zendesk-loyalty:cli:check");
    } catch (IllegalStateException notOurs) { // never written over: a person may need it
      throw new IllegalArgumentException(notOurs.getMessage() + "; give another --token-file");
    }
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    if (!Files.isWritable(directory)) {
      throw new IllegalArgumentException("cannot write the token file " + file + ": "
          + directory + " is not writable");
    }
  }

  /** The browser's round trip: the pair, or null (said why) when none came. */
  private OAuthTokens authorize(URI address, String clientId, String secret, List<String> scopes)
      throws Exception {
    CompletableFuture<URI> callback = new CompletableFuture<>();
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException taken) {
      throw new IllegalArgumentException("cannot listen on 127.0.0.1:" + port + " ("
          + taken.getMessage() + "): free it, or give --port with another port the client's"
          + " redirect URLs list");
    }
    server.createContext("/callback", exchange -> answer(exchange, callback));
    server.start();
    try {
      URI redirect = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/callback");
      OAuthAuthorization authorization = OAuthAuthorization.start(address, clientId, redirect,
          scopes);
      context.err().println("Open this address in a browser where you are signed in to "
          + address.getHost() + " as an admin, and allow access:");
      context.err().println();
      context.err().println("  " + authorization.uri());
      context.err().println();
      context.err().println("Waiting up to " + timeoutSeconds + " s for Zendesk to send the"
          + " browser back to " + redirect + " ...");
      context.err().flush();
      URI answered;
      try {
        answered = callback.get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (TimeoutException late) {
        context.err().println("zendesk-loyalty: no answer from the browser within "
            + timeoutSeconds + " s: not connected. Run the command again; if the page said the"
            + " redirect URL is not allowed, add " + redirect + " to the client's redirect URLs.");
        return null;
      } catch (ExecutionException unexpected) {
        throw new IllegalStateException(unexpected.getCause());
      }
      try {
        return authorization.exchange(answered, secret, HttpClient.newHttpClient());
      } catch (IllegalArgumentException refused) { // denied, a forged state, no code
        context.err().println("zendesk-loyalty: not connected: " + refused.getMessage());
        return null;
      }
    } finally {
      server.stop(0);
    }
  }

  /** The callback: the first one with a query completes the login; the browser is told. */
  private static void answer(HttpExchange exchange, CompletableFuture<URI> callback)
      throws IOException {
    URI requested = exchange.getRequestURI();
    boolean first = requested.getRawQuery() != null && !callback.isDone();
    byte[] page = ("<!doctype html><html><body><h1>" + (first
        ? "zendesk-loyalty: you can close this window" : "zendesk-loyalty: nothing to do here")
        + "</h1><p>" + (first ? "The command line goes on from here." : "This address only"
        + " takes Zendesk's answer to a login in progress.") + "</p></body></html>")
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(first ? 200 : 400, page.length);
    try (OutputStream body = exchange.getResponseBody()) {
      body.write(page);
    }
    if (first) {
      callback.complete(requested); // after the browser has its page: the server stops next
    }
  }

  private int printed(OAuthTokens tokens) {
    ObjectNode node = Commands.JSON.createObjectNode().put("access_token", tokens.accessToken());
    tokens.refreshTokenIfAny().ifPresent(refresh -> node.put("refresh_token", refresh));
    tokens.expiry().ifPresent(expiry -> node.put("expires_at", expiry.toString()));
    if (tokens.refreshTokenExpiresAt() != null) {
      node.put("refresh_token_expires_at", tokens.refreshTokenExpiresAt().toString());
    }
    tokens.scopes().forEach(node.putArray("scopes")::add);
    Commands.printJson(context, node);
    context.err().println("The pair above is a secret: keep it in your secret manager. Each"
        + " renewal replaces it (the old pair stops working at once), so give it to"
        + " ZendeskCredentials.oauthRefreshToken(...) with a token store the SDK writes back to.");
    return ExitCodes.OK;
  }

  /** Stores the pair in the file through the SDK, which checks it works with one call. */
  private int stored(URI address, String clientId, String secret, OAuthTokens tokens, Path file)
      throws InterruptedException {
    ZendeskCredentials credentials = ZendeskCredentials.oauthRefreshToken(clientId, secret,
        tokens).tokenStore(OAuthTokenStore.file(file)).build();
    CurrentUser me;
    try (ZendeskLoyaltySync sync = Account.answerSoon(context, ZendeskLoyaltySync.builder()
        .baseUri(address).schema(FieldSchema.standard()).credentials(credentials)).build()) {
      credentials.reconnect(tokens); // written over any pair the file held for the account
      me = sync.currentUser();
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("the pair works but could not be written to " + file
          + " (see the warning above)");
    }
    if (output.json) {
      Commands.printJson(context, Commands.JSON.createObjectNode().put("tokenFile",
          file.toString()).put("name", me.name()).put("email", me.maskedEmail())
          .put("role", me.role()));
    } else {
      context.out().println("Connected as " + me.name() + " <" + me.maskedEmail() + ">, role "
          + me.role() + ". The pair is in " + file + " (readable by you only) and renews"
          + " itself: give --token-file " + file + " and --client-id " + clientId
          + " (or ZENDESK_CLIENT_ID) to every command.");
    }
    return ExitCodes.OK;
  }
}
