package io.github.zendeskloyalty.cli.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.client.CurrentUser;
import io.github.zendeskloyalty.client.FieldReport;
import io.github.zendeskloyalty.client.ZendeskCredentials;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.FieldSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The commands but {@code backfill}. Not part of the API. */
public final class Commands {

  static final ObjectMapper JSON = JsonMapper.builder().build();

  private Commands() {}

  /** {@code --json}, for scripts. */
  public static final class Output {
    @Option(names = "--json", description = "Print JSON for scripts instead of text.")
    boolean json;
  }

  /** The version of the jar. */
  public static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties properties = new Properties();
      try (InputStream in = Version.class.getResourceAsStream(
          "/io/github/zendeskloyalty/cli/version.properties")) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new String[] {"zendesk-loyalty " + properties.getProperty("version", "dev")};
    }
  }

  static void printJson(Context context, Object value) {
    try {
      context.out().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code credentials}: connect, check, and the seed's legacy credential. */
  @Command(name = "credentials", description = "Connect an account with OAuth, check"
      + " credentials, or build the seed's legacy base64 credential.",
      subcommands = {CredentialsLogin.class, Check.class, Encode.class},
      mixinStandardHelpOptions = true)
  public static final class Credentials {
  }

  /** {@code credentials check}. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Asks Zendesk who the credentials are (GET /api/v2/users/me) and whether"
          + " they may create user fields (an admin's); says their kind, scopes and expiry, and"
          + " for an API token how many days it has left and what replaces it."},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:an admin: can sync members and create the user fields",
          "3:Zendesk refused the credentials: a wrong client, secret or token, or the grant"
              + " revoked",
          "4:valid, but not an admin: can sync members, cannot create user fields",
          "5:no account there: a wrong subdomain or base URI, or no network",
          "6:Zendesk unavailable or rate-limited"},
      footerHeading = "%nExample:%n",
      footer = "  ZENDESK_CLIENT_ID=loyalty-sync ZENDESK_CLIENT_SECRET=... zendesk-loyalty"
          + " credentials check --subdomain acme")
  public static final class Check implements Callable<Integer> {
    private final Context context;
    @Mixin Account account;
    @Mixin Output output;

    public Check(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      try (Account.Connection connection = account.open(context, FieldSchema.standard(), false);
           ZendeskLoyaltySync sync = Account.answerSoon(context, connection.builder()).build()) {
        CurrentUser me = sync.currentUser();
        ZendeskCredentials.Status status = sync.credentials().status();
        Optional<Long> daysLeft = status.apiTokenDaysLeft(LocalDate.now(ZoneOffset.UTC));
        int code = me.isAdmin() ? ExitCodes.OK : ExitCodes.NOT_ALLOWED;
        if (output.json) {
          ObjectNode node = JSON.createObjectNode();
          node.put("id", me.id()).put("name", me.name())
              .put("email", me.maskedEmail()).put("role", me.role())
              .put("canManageUserFields", me.isAdmin())
              .put("credentials", status.kind().name());
          status.scopes().forEach(node.putArray("scopes")::add);
          status.accessTokenExpiresAt().ifPresent(at -> node.put("accessTokenExpiresAt",
              at.toString()));
          daysLeft.ifPresent(days -> node.put("apiTokenDaysLeft", days));
          printJson(context, node);
        } else {
          context.out().println("Credentials work: " + me.name() + " <"
              + me.maskedEmail() + ">, role " + me.role() + ".");
          context.out().println(me.isAdmin()
              ? "An admin: can sync members and create the user fields."
              : "Not an admin: can sync members, but cannot create user fields (fields ensure"
                  + " needs an admin's credentials).");
          context.out().println(describe(status));
          daysLeft.ifPresent(days -> context.out().println(replacement(days)));
        }
        return code;
      }
    }

    private static String describe(ZendeskCredentials.Status status) {
      String kind = switch (status.kind()) {
        case CLIENT_CREDENTIALS -> "OAuth client credentials (renewed before they expire)";
        case REFRESH_TOKEN -> "an OAuth pair (renewed and rotated before it expires)";
        case ACCESS_TOKEN -> "a static OAuth access token (never renewed)";
        case API_TOKEN, BASIC -> "an API token (legacy)";
      };
      return "Kind: " + kind
          + (status.scopes().isEmpty() ? "" : "; scopes " + String.join(" ", status.scopes()))
          + status.accessTokenExpiresAt().map(at -> "; the access token expires " + at)
              .orElse("") + ".";
    }

    private static String replacement(long daysLeft) {
      return "API tokens stop working on " + ZendeskCredentials.API_TOKEN_END_TEXT + " ("
          + daysLeft + " days left; none can be created since 2026-10-27). Replace it: create an"
          + " OAuth client in Admin Center > Apps and integrations > APIs > OAuth clients, then"
          + " run: ZENDESK_CLIENT_ID=<its identifier> ZENDESK_CLIENT_SECRET=<its secret>"
          + " zendesk-loyalty credentials check --subdomain <yours>";
    }
  }

  /** {@code credentials encode}. */
  @Command(name = "encode", mixinStandardHelpOptions = true,
      description = {"Legacy (API tokens stop working on 2027-04-30; use 'credentials login' or"
          + " an OAuth client's credentials): prints the base64 credential of the seed's second"
          + " step,"
          + " base64(EMAIL/token:TOKEN). The token is read from ZENDESK_API_TOKEN or standard"
          + " input, never from an argument (which every user of the machine can see)."},
      footerHeading = "%nExample:%n",
      footer = "  printf %s \"$TOKEN\" | zendesk-loyalty credentials encode --email admin@acme.com"
          + " --api-token-stdin")
  public static final class Encode implements Callable<Integer> {
    private final Context context;
    @Mixin Account account;
    @Mixin Output output;

    public Encode(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      String email = account.email(context);
      String token = account.apiToken(context);
      ZendeskCredentials.apiToken(email, token);
      String credential = Base64.getEncoder().encodeToString(
          (email + "/token:" + token).getBytes(StandardCharsets.UTF_8));
      if (output.json) {
        printJson(context, JSON.createObjectNode().put("credential", credential));
      } else {
        context.out().println(credential);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code fields}: the 21 user fields. */
  @Command(name = "fields", description = "Verify or create the user fields the members are"
      + " written to.", subcommands = {Verify.class, Ensure.class}, mixinStandardHelpOptions = true)
  public static final class Fields {
  }

  /** What {@code fields verify} and {@code ensure} share. */
  abstract static class FieldsCommand implements Callable<Integer> {
    final Context context;
    @Mixin Account account;
    @Mixin Output output;

    @Option(names = "--schema", paramLabel = "FILE", description = "A properties file that"
        + " excludes, renames or retypes attributes: exclude=phone,email;"
        + " key.first_name=given_name; type.zrl_member_enrollment_date=date.")
    Path schemaFile;

    FieldsCommand(Context context) {
      this.context = context;
    }

    abstract FieldReport report(ZendeskLoyaltySync sync);

    @Override
    public Integer call() throws IOException {
      FieldSchema schema = schemaFile == null ? FieldSchema.standard() : SchemaFile.read(schemaFile);
      FieldReport report;
      try (Account.Connection connection = account.open(context, schema, false);
           ZendeskLoyaltySync sync = Account.answerSoon(context, connection.builder()).build()) {
        report = report(sync);
      }
      print(schema, report);
      return report.isReady() ? ExitCodes.OK : ExitCodes.INCOMPLETE;
    }

    private void print(FieldSchema schema, FieldReport report) {
      ArrayNode rows = JSON.createArrayNode();
      if (!output.json) {
        context.out().printf("%-40s %-10s %s%n", "KEY", "TYPE", "STATE");
      }
      for (FieldSchema.Field field : schema.fields()) {
        String state = state(field, report);
        if (output.json) {
          rows.addObject().put("key", field.key()).put("type", field.type().apiName())
              .put("state", state);
        } else {
          context.out().printf("%-40s %-10s %s%n", field.key(), field.type().apiName(), state);
        }
      }
      if (output.json) {
        printJson(context, rows);
      } else {
        context.out().printf("%n%d present, %d created, %d missing, %d of another type%n",
            report.present().size() - report.created().size(), report.created().size(),
            report.missing().size(), report.mismatched().size());
      }
    }

    private static String state(FieldSchema.Field field, FieldReport report) {
      if (report.created().contains(field)) {
        return "created";
      }
      if (report.missing().contains(field)) {
        return "missing";
      }
      for (FieldReport.TypeMismatch mismatch : report.mismatched()) {
        if (mismatch.expected().equals(field)) {
          return "wrong type (" + mismatch.actualType() + ")";
        }
      }
      return report.inactive().contains(field) ? "present, inactive" : "present";
    }
  }

  /** {@code fields verify}. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Lists the schema's user fields and whether Zendesk has each, with its type;"
          + " changes nothing. Exit code 1 while anything is missing or of another type.",
      footerHeading = "%nExample:%n", footer = "  zendesk-loyalty fields verify --fake")
  public static final class Verify extends FieldsCommand {
    public Verify(Context context) {
      super(context);
    }

    @Override
    FieldReport report(ZendeskLoyaltySync sync) {
      return sync.fields().verify();
    }
  }

  /** {@code fields ensure}. */
  @Command(name = "ensure", mixinStandardHelpOptions = true,
      description = "Creates the schema's missing user fields (an admin's credentials), never"
          + " changing an existing one. Exit code 1 while anything is of another type.",
      footerHeading = "%nExample:%n",
      footer = "  zendesk-loyalty fields ensure --subdomain acme --email admin@acme.com")
  public static final class Ensure extends FieldsCommand {
    public Ensure(Context context) {
      super(context);
    }

    @Override
    FieldReport report(ZendeskLoyaltySync sync) {
      return sync.fields().ensure();
    }
  }
}
