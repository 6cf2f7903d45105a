package io.github.zendeskloyalty.cli;

import io.github.zendeskloyalty.cli.internal.AgentActionsCommands;
import io.github.zendeskloyalty.cli.internal.Backfill;
import io.github.zendeskloyalty.cli.internal.Commands;
import io.github.zendeskloyalty.cli.internal.Context;
import io.github.zendeskloyalty.cli.internal.ExitCodes;
import io.github.zendeskloyalty.cli.internal.KafkaCommands;
import io.github.zendeskloyalty.cli.internal.Reconcile;
import io.github.zendeskloyalty.client.Sleeper;
import io.github.zendeskloyalty.client.ZendeskException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code zendesk-loyalty} command: the seed's manual setup and a resumable backfill.
 *
 * <pre>{@code
 * zendesk-loyalty credentials check --subdomain acme      # who the token is, admin or not
 * zendesk-loyalty fields ensure --subdomain acme          # the 21 user fields, created if missing
 * zendesk-loyalty backfill members.csv --subdomain acme   # every member, with a checkpoint
 * zendesk-loyalty backfill members.csv --fake             # the same against an embedded fake
 * zendesk-loyalty kafka replay-dead-letters loyalty-events.dead-letters \
 *     --bootstrap-servers kafka:9092                     # dead letters back, cause fixed
 * }</pre>
 *
 * <p>Credentials come from the environment ({@code ZENDESK_EMAIL} and {@code ZENDESK_API_TOKEN},
 * or {@code ZENDESK_OAUTH_TOKEN}) or standard input, never from an argument. From Java, {@link
 * #run} runs a command line in-process and returns its exit code.
 */
@Command(name = "zendesk-loyalty", mixinStandardHelpOptions = true,
    versionProvider = Commands.Version.class,
    description = "Keeps loyalty members on their Zendesk profiles: check the credentials,"
        + " create the user fields, backfill members from a file, reconcile Zendesk with it,"
        + " set up goodwill points from tickets, replay the Kafka intake's dead letters.",
    subcommands = {Commands.Credentials.class, Commands.Fields.class, Backfill.class,
        Reconcile.class, AgentActionsCommands.class, KafkaCommands.class},
    footerHeading = "%nTry it with nothing else (an embedded fake Zendesk):%n",
    footer = {"  zendesk-loyalty credentials check --fake",
        "  zendesk-loyalty fields verify --fake",
        "  zendesk-loyalty backfill members.csv --fake",
        "  zendesk-loyalty reconcile members.csv --fake --dry-run"})
public final class ZendeskLoyaltyCli {

  private ZendeskLoyaltyCli() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    // the SDK's warnings (a retry, bulk import off) as one short line each on standard error
    System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8),
        true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8),
        true);
    System.exit(run(args, System.getenv(), System.in, out, err, System.console() != null));
  }

  /**
   * Runs a command line in-process.
   *
   * @param args the arguments, as given to {@code main}
   * @param env the environment variables it reads ({@code ZENDESK_*})
   * @param in standard input, for {@code --api-token-stdin}
   * @param out standard output
   * @param err standard error
   * @param terminal whether {@code out} is a terminal, where progress is redrawn in place
   * @return the exit code: 0 done, 1 incomplete, 2 usage, 3 credentials refused, 4 not allowed,
   *     5 no account there, 6 Zendesk unavailable
   */
  public static int run(String[] args, Map<String, String> env, InputStream in, PrintWriter out,
      PrintWriter err, boolean terminal) {
    return run(args, new Context(Map.copyOf(Objects.requireNonNull(env, "env")),
        Objects.requireNonNull(in, "in"), Objects.requireNonNull(out, "out"),
        Objects.requireNonNull(err, "err"), terminal, Sleeper.system()));
  }

  /** Runs a command line with the given world. */
  static int run(String[] args, Context context) {
    PrintWriter out = context.out();
    PrintWriter err = context.err();
    CommandLine commandLine = new CommandLine(ZendeskLoyaltyCli.class, factory(context))
        .setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((failure, line, parsed) -> fail(failure, err))
        .setParameterExceptionHandler((wrong, given) -> usage(wrong, err));
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Commands get the context; picocli makes the rest. */
  private static CommandLine.IFactory factory(Context context) {
    CommandLine.IFactory standard = CommandLine.defaultFactory();
    return new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        try {
          return type.getConstructor(Context.class).newInstance(context);
        } catch (NoSuchMethodException noContext) {
          return standard.create(type);
        }
      }
    };
  }

  /**
   * A wrong command line: what was wrong and where help is, exit 2. An unknown argument is named
   * only when it is an option's name: a value typed after a mistyped {@code --api-token} is a
   * secret, and is never echoed.
   */
  private static int usage(CommandLine.ParameterException wrong, PrintWriter err) {
    if (wrong instanceof CommandLine.UnmatchedArgumentException unmatched) {
      List<String> shown = unmatched.getUnmatched().stream()
          .map(argument -> !argument.startsWith("-") ? "(a value, not shown)"
              : argument.contains("=") ? argument.substring(0, argument.indexOf('=')) + "=…"
              : argument)
          .toList();
      err.println("zendesk-loyalty: unknown " + (shown.size() == 1 ? "argument " : "arguments ")
          + String.join(", ", shown));
    } else {
      err.println("zendesk-loyalty: " + wrong.getMessage());
    }
    err.println("Run '" + wrong.getCommandLine().getCommandSpec().qualifiedName()
        + " --help' for its options and an example.");
    return ExitCodes.USAGE;
  }

  /** Says what stopped a command, without a stack trace, and picks its exit code. */
  private static int fail(Exception failure, PrintWriter err) {
    if (failure instanceof ZendeskException zendesk) {
      int code = ExitCodes.of(zendesk);
      err.println("zendesk-loyalty: " + zendesk.getMessage());
      err.println(ExitCodes.hint(code));
      return code;
    }
    if (failure instanceof IllegalArgumentException || failure instanceof IOException
        || failure instanceof UncheckedIOException) {
      err.println("zendesk-loyalty: " + describe(failure));
      return ExitCodes.USAGE;
    }
    err.println("zendesk-loyalty: unexpected failure: " + failure);
    return ExitCodes.INCOMPLETE;
  }

  private static String describe(Exception failure) {
    Throwable io = failure instanceof UncheckedIOException unchecked ? unchecked.getCause()
        : failure;
    if (io instanceof java.nio.file.NoSuchFileException missing) {
      return "no such file: " + missing.getFile();
    }
    if (io instanceof java.nio.file.AccessDeniedException denied) {
      return "cannot open " + denied.getFile() + ": permission denied";
    }
    return io.getMessage() == null ? io.toString() : io.getMessage();
  }
}
