package io.github.zendeskloyalty.cli.internal;

import io.github.zendeskloyalty.client.Sleeper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/**
 * What a command run sees of the world: the environment, standard input and output, and whether
 * the output is a terminal. Tests give their own. Not part of the API.
 *
 * @param env the environment variables
 * @param in standard input
 * @param out standard output
 * @param err standard error
 * @param terminal whether standard output is a terminal (progress is drawn in place)
 * @param sleeper how the SDK waits between retries of an answer-soon command ({@code
 *     credentials}, {@code fields}); tests give one that does not sleep
 */
public record Context(Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err,
    boolean terminal, Sleeper sleeper) {}
