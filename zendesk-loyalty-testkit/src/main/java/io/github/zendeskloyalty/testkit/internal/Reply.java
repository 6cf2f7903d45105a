package io.github.zendeskloyalty.testkit.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** An answer of the fake: status, headers and body. Not part of the API. */
public final class Reply {

  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final String body;

  private Reply(int status, String contentType, String body) {
    this.status = status;
    this.body = body;
    headers.put("Content-Type", contentType);
  }

  static Reply json(int status, String body) {
    return new Reply(status, "application/json; charset=utf-8", body);
  }

  /** An answer without a body, such as 204 No Content. */
  static Reply empty(int status) {
    Reply reply = new Reply(status, "application/json; charset=utf-8", "");
    reply.headers.remove("Content-Type");
    return reply;
  }

  static Reply html(int status, String body) {
    return new Reply(status, "text/html; charset=utf-8", body);
  }

  static Reply text(int status, String body) {
    return new Reply(status, "text/plain; charset=utf-8", body);
  }

  Reply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** The status. */
  public int status() {
    return status;
  }

  /** The headers. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The body. */
  public String body() {
    return body;
  }
}
