package io.github.zendeskloyalty.cli.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zendeskloyalty.kafka.DeadLetterReplay;
import io.github.zendeskloyalty.kafka.ReplayReport;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kafka}: the Kafka intake's tools. Not part of the API. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
    description = "Tools for the Kafka intake (zendesk-loyalty-kafka).",
    subcommands = KafkaCommands.ReplayDeadLetters.class)
public final class KafkaCommands {

  /** {@code kafka replay-dead-letters}. */
  @Command(name = "replay-dead-letters", mixinStandardHelpOptions = true,
      description = {"Sends the records of a dead-letter topic back to the topics they came"
          + " from (their zendesk-loyalty.source-topic header), once their cause is fixed. How"
          + " far it went is committed under its own consumer group, so a second run sends only"
          + " records dead-lettered since. A record still wrong is dead-lettered again, once."},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:every record sent back (or, with --dry-run, counted)",
          "1:some records had no source topic (not the intake's), or the cluster stopped"
              + " answering: nothing committed",
          "2:a wrong option, no such topic, an unreadable --client-config file"},
      footerHeading = "%nExample:%n",
      footer = "  zendesk-loyalty kafka replay-dead-letters loyalty-events.dead-letters"
          + " --bootstrap-servers kafka:9092 --client-config client.properties")
  public static final class ReplayDeadLetters implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "The dead-letter topic.")
    String topic;

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]",
        description = "The Kafka cluster.")
    String bootstrapServers;

    @Option(names = "--client-config", paramLabel = "FILE", description = "A properties file"
        + " of client settings (security.protocol, sasl.*, ssl.*): secrets stay in a file,"
        + " never on the command line.")
    Path clientConfig;

    @Option(names = "--group", paramLabel = "GROUP", description = "The consumer group that"
        + " remembers how far replays went (default: ${DEFAULT-VALUE}).")
    String group = DeadLetterReplay.DEFAULT_GROUP;

    @Option(names = "--dry-run", description = "Count what would be sent; send and commit"
        + " nothing.")
    boolean dryRun;

    @Mixin Commands.Output output;

    public ReplayDeadLetters(Context context) {
      this.context = context;
    }

    @Override
    public Integer call() throws IOException {
      Map<String, Object> config = new HashMap<>();
      if (clientConfig != null) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(clientConfig, StandardCharsets.UTF_8)) {
          properties.load(reader);
        }
        properties.forEach((key, value) -> config.put(key.toString(), value));
      }
      config.put("bootstrap.servers", bootstrapServers);
      ReplayReport report;
      try {
        report = DeadLetterReplay.builder().clientConfig(config).deadLetterTopic(topic)
            .group(group).dryRun(dryRun).build().run();
      } catch (IllegalStateException stopped) {
        context.err().println("zendesk-loyalty: " + stopped.getMessage());
        return ExitCodes.INCOMPLETE;
      }
      if (output.json) {
        ObjectNode node = Commands.JSON.createObjectNode();
        node.put("topic", topic).put("dryRun", report.dryRun())
            .put("replayed", report.replayed()).put("withoutSource", report.withoutSource())
            .put("bounded", report.bounded());
        ObjectNode byReason = node.putObject("byReason");
        report.byReason().forEach(byReason::put);
        Commands.printJson(context, node);
      } else {
        String reasons = new TreeMap<>(report.byReason()).entrySet().stream()
            .map(entry -> entry.getValue() + " " + entry.getKey().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));
        context.out().println((report.dryRun() ? "Would send " : "Sent ") + report.replayed()
            + " records of " + topic + " back to their topics"
            + (reasons.isEmpty() ? "." : " (" + reasons + ")."));
        if (report.withoutSource() > 0) {
          context.out().println(report.withoutSource() + (report.withoutSource() == 1
              ? " record has" : " records have") + " no source-topic header"
              + " (not dead-lettered by the intake): left where they are.");
        }
        if (report.bounded() > 0) {
          context.out().println(report.bounded() + (report.bounded() == 1 ? " record was"
              : " records were") + " dead-lettered in bounded form (cut: too large for the"
              + " dead-letter topic): not sent back; each names its source offset.");
        }
      }
      return report.withoutSource() > 0 || report.bounded() > 0 ? ExitCodes.INCOMPLETE
          : ExitCodes.OK;
    }
  }
}
