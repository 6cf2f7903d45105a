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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /**
   * A command line pointed at the fake with an admin's OAuth client credentials in the
   * environment, as a user sets them up today.
   */
  static Cli admin(FakeZendesk fake) {
    return bare().env("ZENDESK_CLIENT_ID", FakeZendesk.OAUTH_CLIENT_ID)
        .env("ZENDESK_CLIENT_SECRET", FakeZendesk.OAUTH_CLIENT_SECRET).account(fake);
  }

  /** A command line pointed at the fake with its admin's legacy API token in the environment. */
  static Cli apiTokenAdmin(FakeZendesk fake) {
    return bare().env("ZENDESK_EMAIL", FakeZendesk.ADMIN_EMAIL)
        .env("ZENDESK_API_TOKEN", FakeZendesk.ADMIN_API_TOKEN).account(fake);
  }

  /** A command line pointed at the fake with its agent's (legacy API token) credentials. */
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
    return run(args, new StringWriter(), new StringWriter());
  }

  /**
   * Starts the command on another thread, as a person at a terminal who reads what it prints
   * while it waits (for a browser, say).
   */
  Running start(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    return new Running(CompletableFuture.supplyAsync(() -> run(args, out, err)), out, err);
  }

  /** A command still running: what it has printed so far, and its result when it ends. */
  record Running(CompletableFuture<Result> result, StringWriter out, StringWriter err) {
    /** Waits until standard error has a line matching {@code pattern}; its first group. */
    String awaitErr(Pattern pattern) throws InterruptedException {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < until) {
        Matcher matcher = pattern.matcher(err.toString());
        if (matcher.find()) {
          return matcher.group(1);
        }
        if (result.isDone()) {
          throw new AssertionError("ended first: " + result.join().all());
        }
        Thread.sleep(10);
      }
      throw new AssertionError("nothing matched " + pattern + " in: " + err);
    }

    Result end() throws Exception {
      return result.get(20, TimeUnit.SECONDS);
    }
  }

  private Result run(String[] args, StringWriter out, StringWriter err) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(accountArgs);
    int exit = ZendeskLoyaltyCli.run(all.toArray(String[]::new), new Context(Map.copyOf(env),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out), new PrintWriter(err), false, duration -> { }));
    return new Result(exit, out.toString(), err.toString());
  }
}
