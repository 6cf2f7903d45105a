package io.github.zendeskloyalty.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Raw HTTP calls to the fake, to test it without the SDK. */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString(
      "admin@fake-zendesk.test/token:fake-admin-api-token".getBytes(StandardCharsets.UTF_8));

  private final HttpClient client = http11();
  private final URI base;

  Http(FakeZendesk fake) {
    this.base = fake.baseUri();
  }

  /** A client of HTTP/1.1: the JDK's cleartext HTTP/2 upgrade now and then ends in an EOF. */
  static HttpClient http11() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  HttpResponse<String> send(String method, String path, String body, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
        .header("User-Agent", "testkit-test")
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.replace('\'', '"')));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String path, String body)
      throws IOException, InterruptedException {
    return send(method, path, body, ADMIN);
  }

  JsonNode json(String method, String path, String body) throws IOException, InterruptedException {
    return JSON.readTree(send(method, path, body).body());
  }
}
