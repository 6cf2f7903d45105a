package io.github.zendeskloyalty.cli;

import static io.github.zendeskloyalty.testkit.ZendeskAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.zendeskloyalty.core.FieldSchema;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.testkit.FakeUser;
import io.github.zendeskloyalty.testkit.FakeUserWrite;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as a user runs it: in a pseudo-terminal ({@code script}), where the progress
 * bar is redrawn in place, and killed with SIGKILL in the middle of a backfill.
 */
class JarInATerminalIT {

  private static final Pattern FRAME = Pattern.compile(
      "\\[([#.]+)] +(\\d+)% ([\\d,]+)/([\\d,]+) read · ([\\d,]+) ok · ([\\d,]+) calls"
          + " · ([\\d,]+)/s · ETA (\\S+)");

  @TempDir
  Path dir;
  private FakeZendesk fake;

  @BeforeEach
  void start() {
    fake = FakeZendesk.start();
    fake.provision(FieldSchema.standard());
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("cli.jar", "target/missing.jar"));
    assertThat(jar).as("the shaded jar, built by package before this test").exists();
    return jar;
  }

  private List<String> command(Path file, String... more) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar().toString(), "backfill", file.toString(), "--base-uri", fake.baseUri().toString()));
    command.addAll(Arrays.asList(more));
    return command;
  }

  private ProcessBuilder withCredentials(ProcessBuilder builder) {
    builder.environment().put("ZENDESK_CLIENT_ID", FakeZendesk.OAUTH_CLIENT_ID);
    builder.environment().put("ZENDESK_CLIENT_SECRET", FakeZendesk.OAUTH_CLIENT_SECRET);
    return builder;
  }

  @Test
  void inATerminalTheBarIsRedrawnInPlaceAndASummaryFollows() throws Exception {
    assumeTrue(new File("/usr/bin/script").canExecute(), "util-linux script is needed");
    fake.jobDuration(Duration.ofMillis(300));
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), MemberRows.members(1_000));
    String line = command(file).stream().map(JarInATerminalIT::shellQuote)
        .collect(Collectors.joining(" "));
    Path typescript = dir.resolve("typescript");
    ProcessBuilder builder = withCredentials(new ProcessBuilder("script", "-qefc", line,
        typescript.toString())).redirectErrorStream(true)
        .redirectOutput(dir.resolve("script.out").toFile());

    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

    // the terminal turns each line end into \r\n; a bare \r is the bar going back to redraw
    String screen = Files.readString(typescript, StandardCharsets.UTF_8).replace("\r\n", "\n");
    assertThat(process.exitValue()).as(screen).isZero();
    List<Matcher> frames = new ArrayList<>();
    for (String frame : screen.split("\r")) {
      Matcher matcher = FRAME.matcher(frame);
      if (matcher.find()) {
        frames.add(matcher);
      }
    }
    assertThat(frames).as(screen).hasSizeGreaterThanOrEqualTo(2);
    List<Long> confirmed = frames.stream().map(m -> number(m.group(5))).toList();
    assertThat(confirmed).isSorted();
    assertThat(confirmed.get(0)).isLessThan(1_000);
    Matcher last = frames.get(frames.size() - 1);
    assertThat(last.group(1)).matches("#+");
    assertThat(last.group(2)).isEqualTo("100");
    assertThat(number(last.group(5))).isEqualTo(1_000);
    String afterBar = screen.substring(screen.lastIndexOf('\r') + 1);
    assertThat(afterBar).contains("1,000 rows read", "1,000 created", "0 failed, 0 rejected",
        "Every member is on Zendesk.");
    assertThat(screen.lines().filter(l -> l.contains("ETA")).flatMap(l -> Arrays.stream(
        l.split("\r")))).allSatisfy(frame -> assertThat(frame.length()).isLessThan(80));
    assertThat(screen).doesNotContain(FakeZendesk.OAUTH_CLIENT_SECRET);
  }

  @Test
  void killedInTheMiddleARestartSendsOnlyWhatWasNotConfirmedAndLosesNothing() throws Exception {
    fake.jobDuration(Duration.ofMillis(400));
    List<LoyaltyMember> members = MemberRows.members(3_000);
    Path file = MemberRows.csvOf(dir.resolve("members.csv"), members);
    Path checkpoint = dir.resolve("members.csv.checkpoint");
    ProcessBuilder builder = withCredentials(new ProcessBuilder(command(file)))
        .redirectErrorStream(true).redirectOutput(dir.resolve("first.out").toFile());

    Process first = builder.start();
    // another process's progress, seen through its checkpoint file: nothing to inject a clock
    // into, so poll; the kill waits for a count of lines, never for a time
    while (first.isAlive() && lines(checkpoint) < 200) {
      Thread.sleep(10);
    }
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Set<String> confirmedBeforeKill = Files.readAllLines(checkpoint).stream()
        .filter(l -> l.split("\t").length == 5).map(l -> l.split("\t")[0])
        .collect(Collectors.toSet());
    assertThat(confirmedBeforeKill).hasSizeGreaterThanOrEqualTo(200).hasSizeLessThan(3_000);
    int writesBefore = fake.userWrites().size();

    Process second = withCredentials(new ProcessBuilder(command(file)))
        .redirectErrorStream(true).redirectOutput(dir.resolve("second.out").toFile()).start();
    assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();

    String output = Files.readString(dir.resolve("second.out"));
    assertThat(second.exitValue()).as(output).isZero();
    assertThat(output).contains(String.format("%,d already confirmed", confirmedBeforeKill.size()));
    Map<Long, String> memberOfUser = fake.users().stream().collect(Collectors.toMap(
        FakeUser::id, user -> user.userFields().get("zrl_member_member_id").toString()));
    List<FakeUserWrite> writes = fake.userWrites();
    List<String> sentAfterKill = writes.subList(writesBefore, writes.size()).stream()
        .map(write -> memberOfUser.get(write.userId())).toList();
    assertThat(sentAfterKill).doesNotContainAnyElementsOf(confirmedBeforeKill);
    for (LoyaltyMember member : members) {
      assertThat(fake).user(member.email()).hasFieldsOf(member);
    }
  }

  @Test
  void theLauncherScriptFindsTheBuiltJar() throws Exception {
    Process process = new ProcessBuilder("bash", "../bin/zendesk-loyalty", "--version")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).startsWith("zendesk-loyalty ").doesNotContain("dev");
  }

  private static long lines(Path file) throws Exception {
    if (!Files.exists(file)) {
      return 0;
    }
    try (var stream = Files.lines(file)) {
      return stream.count();
    }
  }

  private static long number(String text) {
    return Long.parseLong(text.replace(",", ""));
  }

  private static String shellQuote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
