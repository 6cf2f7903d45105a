package io.github.zendeskloyalty.cli;

import io.github.zendeskloyalty.cli.internal.Context;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the command in-process, as a user would type it, and keeps what it printed. Retries do not
 * sleep.
 */
final class Cli {

  /** What a run printed and returned. */
  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }
  }

  private final Map<String, String> env = new HashMap<>();
  private final List<String> accountArgs = new ArrayList<>();
  private String stdin = "";

  private Cli() {}

  /** A command line with no account and no credentials. */
  static Cli bare() {
    return new Cli();
  }

  /** A command line pointed at the fake with its admin's credentials in the environment. */
  static Cli admin(FakeZendesk fake) {
    return bare().env("ZENDESK_EMAIL", FakeZendesk.ADMIN_EMAIL)
        .env("ZENDESK_API_TOKEN", FakeZendesk.ADMIN_API_TOKEN).account(fake);
  }

  /** A command line pointed at the fake with its agent's credentials in the environment. */
  static Cli agent(FakeZendesk fake) {
    return bare().env("ZENDESK_EMAIL", FakeZendesk.AGENT_EMAIL)
        .env("ZENDESK_API_TOKEN", FakeZendesk.AGENT_API_TOKEN).account(fake);
  }

  Cli account(FakeZendesk fake) {
    accountArgs.add("--base-uri");
    accountArgs.add(fake.baseUri().toString());
    return this;
  }

  Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  Cli stdin(String text) {
    stdin = text;
    return this;
  }

  /** Runs the command with the account flags after the given arguments. */
  Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(accountArgs);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = ZendeskLoyaltyCli.run(all.toArray(String[]::new), new Context(Map.copyOf(env),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out), new PrintWriter(err), false, duration -> { }));
    return new Result(exit, out.toString(), err.toString());
  }
}
