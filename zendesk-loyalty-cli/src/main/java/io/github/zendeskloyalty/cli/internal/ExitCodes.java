package io.github.zendeskloyalty.cli.internal;

import io.github.zendeskloyalty.client.ZendeskAuthenticationException;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.client.ZendeskTransportException;
import java.net.http.HttpTimeoutException;

/** The command's exit codes, one per thing a script does differently. Not part of the API. */
public final class ExitCodes {

  /** Everything worked. */
  public static final int OK = 0;
  /** Some members failed or rows were rejected; fields missing or of the wrong type. */
  public static final int INCOMPLETE = 1;
  /** A wrong flag, a missing argument, a file that cannot be read. */
  public static final int USAGE = 2;
  /** Zendesk refused the credentials (401): a wrong email or token, or token access off. */
  public static final int BAD_CREDENTIALS = 3;
  /** The credentials work but lack a permission (403): not an admin. */
  public static final int NOT_ALLOWED = 4;
  /** No Zendesk account there: a wrong subdomain or base URI, or no network to it. */
  public static final int NO_ACCOUNT = 5;
  /** Zendesk was unavailable or rate-limited beyond the retry deadline. */
  public static final int UNAVAILABLE = 6;

  private ExitCodes() {}

  /** The exit code of a failure that stopped a command. */
  public static int of(ZendeskException failure) {
    if (failure instanceof ZendeskAuthenticationException) {
      return failure.status() == 403 ? NOT_ALLOWED : BAD_CREDENTIALS;
    }
    boolean noAnswer = failure instanceof ZendeskTransportException
        && !(failure.getCause() instanceof HttpTimeoutException);
    if (noAnswer || failure.status() == 404 || (failure.status() >= 300 && failure.status() < 400)) {
      return NO_ACCOUNT;
    }
    return UNAVAILABLE;
  }

  /** What to check, for a failure's exit code. */
  public static String hint(int code) {
    return switch (code) {
      case BAD_CREDENTIALS -> "Zendesk refused the credentials (exit 3): check the email, the API"
          + " token (or OAuth token), and that token access is on in Admin Center > Apps and"
          + " integrations > APIs > Zendesk API. Zendesk answers all three with the same 401.";
      case NOT_ALLOWED -> "The credentials work but lack a permission (exit 4): creating user"
          + " fields needs an admin's token.";
      case NO_ACCOUNT -> "No Zendesk account answered there (exit 5): check --subdomain"
          + " (NAME as in NAME.zendesk.com) or --base-uri, and the network.";
      default -> "Zendesk was unavailable or rate-limited past the retry deadline (exit 6): run"
          + " the same command again later.";
    };
  }
}
