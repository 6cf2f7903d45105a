package io.github.zendeskloyalty.testkit.internal;

import com.github.tomakehurst.wiremock.common.FileSource;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.github.zendeskloyalty.testkit.FakeEndpoint;
import io.github.zendeskloyalty.testkit.FakeFault;
import io.github.zendeskloyalty.testkit.RecordedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The one WireMock extension behind the fake: injects faults, journals every request and hands
 * the rest to {@link FakeBackend}. Not part of the API.
 */
public final class FakeRouter extends ResponseDefinitionTransformer {

  private static final String API = "/api/v2";

  private final FakeBackend backend;
  private final Deque<RecordedRequest> journal = new ArrayDeque<>();
  private final List<PlannedFault> faults = new ArrayList<>();
  private int journalSize;
  private Random random;
  private double probability;
  private List<FakeFault> mix = List.of();

  private static final class PlannedFault {
    final FakeEndpoint endpoint;
    final FakeFault fault;
    int remaining;

    PlannedFault(FakeEndpoint endpoint, FakeFault fault, int remaining) {
      this.endpoint = endpoint;
      this.fault = fault;
      this.remaining = remaining;
    }
  }

  /** A router in front of the backend, keeping the last {@code journalSize} requests. */
  public FakeRouter(FakeBackend backend, int journalSize) {
    this.backend = backend;
    this.journalSize = journalSize;
  }

  private String backendBase() {
    return backend.baseUri();
  }

  /** Keeps at most this many requests in the journal, oldest dropped first; 0 keeps none. */
  public synchronized void journalSize(int size) {
    this.journalSize = size;
    while (journal.size() > size) {
      journal.removeFirst();
    }
  }

  @Override
  public String getName() {
    return "fake-zendesk";
  }

  /** Plans a fault for the next {@code times} requests to the endpoint. */
  public synchronized void failNext(int times, FakeEndpoint endpoint, FakeFault fault) {
    faults.add(new PlannedFault(endpoint, fault, times));
  }

  /** The journal, oldest first. */
  public synchronized List<RecordedRequest> journal() {
    return List.copyOf(journal);
  }

  /** Fails each request with this probability with one of the faults. */
  public synchronized void failRandomly(Random random, double probability, List<FakeFault> mix) {
    this.random = random;
    this.probability = probability;
    this.mix = mix;
  }

  /** Forgets planned and random faults. */
  public synchronized void clearFaults() {
    faults.clear();
    probability = 0;
  }

  /** Forgets planned and random faults and the journal. */
  public synchronized void clear() {
    faults.clear();
    probability = 0;
    journal.clear();
  }

  @Override
  public ResponseDefinition transform(Request request, ResponseDefinition ignored,
      FileSource files, Parameters parameters) {
    String url = request.getUrl();
    int question = url.indexOf('?');
    String rawPath = question < 0 ? url : url.substring(0, question);
    Map<String, String> query = parseQuery(question < 0 ? "" : url.substring(question + 1));
    String method = request.getMethod().getName();
    String path = rawPath.startsWith(API) ? rawPath.substring(API.length()) : rawPath;
    if (path.endsWith(".json")) {
      path = path.substring(0, path.length() - ".json".length());
    }
    Routes.Route route = rawPath.startsWith(API)
        ? Routes.route(method, path) : Routes.routeAtRoot(method, path);
    FakeEndpoint endpoint = route.endpoint();
    String body = request.getBodyAsString();

    FakeFault fault = takeFault(endpoint);
    if (fault instanceof FakeFault.ConnectionReset) {
      record(endpoint, method, rawPath, query, request, body, 0);
      return ResponseDefinitionBuilder.responseDefinition()
          .withFault(Fault.CONNECTION_RESET_BY_PEER).build();
    }
    Reply reply;
    if (fault instanceof FakeFault.Status status) {
      reply = statusReply(status);
    } else if (fault instanceof FakeFault.TooManyRequestsWithoutRetryAfter) {
      reply = Reply.text(429, "Too Many Requests");
    } else if (fault instanceof FakeFault.TooManyJobs) {
      reply = Replies.error(429, "TooManyJobs", "Number of allowed bulk jobs (30) exceeded;"
          + " wait for running jobs to finish");
    } else if (endpoint == FakeEndpoint.OAUTH_TOKENS) {
      reply = backend.oauthToken(body, request.getHeader("Content-Type"));
      if (fault instanceof FakeFault.GarbledAnswer garbled) {
        reply = garbled(garbled.garbling(), reply);
      }
    } else if (endpoint == FakeEndpoint.OAUTH_AUTHORIZE) {
      reply = backend.authorizationPage(URI.create(backendBase() + url));
    } else if (!rawPath.startsWith(API)) {
      reply = Reply.json(404, "{\"error\":\"InvalidEndpoint\",\"description\":\"Not found\"}");
    } else {
      reply = backend.handle(new FakeBackend.Request(endpoint, route.id(), query,
          request::getHeader, body));
      if (fault instanceof FakeFault.GarbledAnswer garbled) {
        reply = garbled(garbled.garbling(), reply);
      }
    }
    record(endpoint, method, rawPath, query, request, body, reply.status());
    ResponseDefinitionBuilder answer = ResponseDefinitionBuilder.responseDefinition()
        .withStatus(reply.status()).withBody(reply.body());
    reply.headers().forEach(answer::withHeader);
    if (fault instanceof FakeFault.Delay delay) {
      answer.withFixedDelay((int) Math.min(Integer.MAX_VALUE, delay.delay().toMillis()));
    }
    return answer.build();
  }

  /** The answer as a proxy or a broken connection mangled it: a 2xx without the JSON. */
  private static Reply garbled(FakeFault.Garbling garbling, Reply applied) {
    int status = applied.status() / 100 == 2 ? applied.status() : 200;
    return switch (garbling) {
      case HTML -> Reply.html(status, "<html><body><h1>Please wait</h1><p>The service is busy."
          + "</p></body></html>");
      case EMPTY -> Reply.text(status, "");
      case TRUNCATED -> Reply.json(status,
          applied.body().substring(0, Math.max(1, applied.body().length() / 2)));
    };
  }

  private static Reply statusReply(FakeFault.Status status) {
    int code = status.code();
    Reply reply;
    if (code == 401) {
      reply = Reply.json(401, "{\"error\":\"Couldn't authenticate you\"}");
    } else if (code == 403) {
      reply = Reply.json(403, "{\"error\":\"Forbidden\",\"description\":\"You do not have access"
          + " to this page.\"}");
    } else if (code == 404) {
      reply = Reply.json(404, "{\"error\":\"RecordNotFound\",\"description\":\"Not found\"}");
    } else if (code == 422) {
      reply = Reply.json(422, "{\"error\":\"RecordInvalid\",\"description\":\"Record validation"
          + " errors\",\"details\":{}}");
    } else if (code == 429) {
      reply = Reply.text(429, "Too Many Requests");
    } else if (code >= 500) {
      reply = Reply.text(code, "<html><body><h1>" + code + " Service Error</h1></body></html>");
    } else {
      reply = Reply.json(code, "{\"error\":{\"title\":\"Invalid attribute\",\"message\":"
          + "\"Injected fault\"}}");
    }
    if (status.retryAfter() != null) {
      reply.header("Retry-After", String.valueOf(Math.max(0, status.retryAfter().toSeconds())));
    }
    return reply;
  }

  private synchronized FakeFault takeFault(FakeEndpoint endpoint) {
    Iterator<PlannedFault> planned = faults.iterator();
    while (planned.hasNext()) {
      PlannedFault next = planned.next();
      if ((next.endpoint == FakeEndpoint.ANY && !endpoint.isAtRoot())
          || next.endpoint == endpoint) {
        if (--next.remaining <= 0) {
          planned.remove();
        }
        return next.fault;
      }
    }
    if (probability > 0 && !endpoint.isAtRoot() && random.nextDouble() < probability) {
      return mix.get(random.nextInt(mix.size()));
    }
    return null;
  }

  private synchronized void record(FakeEndpoint endpoint, String method, String path,
      Map<String, String> query, Request request, String body, int status) {
    if (journalSize <= 0) {
      return;
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (HttpHeader header : request.getHeaders().all()) {
      String name = header.key().toLowerCase(Locale.ROOT);
      headers.put(name, name.equals("authorization")
          ? header.values().stream().map(FakeRouter::maskCredential).toList() : header.values());
    }
    if (journal.size() >= journalSize) {
      journal.removeFirst();
    }
    journal.addLast(new RecordedRequest(endpoint, method, path, query, headers,
        body == null ? "" : body, status));
  }

  /** Keeps the scheme of a credential and hides the secret: {@code "Basic ****"}. */
  private static String maskCredential(String value) {
    int space = value.indexOf(' ');
    return (space > 0 ? value.substring(0, space) : "") + " ****";
  }

  private static Map<String, String> parseQuery(String query) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = decode(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
      values.putIfAbsent(key, value);
    }
    return values;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
