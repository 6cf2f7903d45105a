package io.github.zendeskloyalty.kafka;

import io.github.zendeskloyalty.client.ZendeskCredentials;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.testkit.FakeZendesk;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A loyalty backend's intake in a process of its own, for the crash test to kill with SIGKILL:
 * {@code IntakeProcess BOOTSTRAP TOPIC GROUP FAKE_BASE_URI}. Prints {@code READY} once started.
 */
public final class IntakeProcess {

  private IntakeProcess() {}

  /** Runs until killed. */
  public static void main(String[] args) throws InterruptedException {
    ZendeskLoyaltySync sync = ZendeskLoyaltySync.builder().baseUri(URI.create(args[3]))
        .credentials(ZendeskCredentials.apiToken(FakeZendesk.ADMIN_EMAIL,
            FakeZendesk.ADMIN_API_TOKEN))
        .maxDelay(Duration.ofMillis(20)).jobPollInterval(Duration.ofMillis(50)).build();
    ZendeskLoyaltyKafkaConsumer.builder()
        .consumerConfig(Map.of("bootstrap.servers", args[0], "group.id", args[2]))
        .topics(args[1]).sync(sync).commitInterval(Duration.ofMillis(200)).start();
    System.out.println("READY");
    new CountDownLatch(1).await();
  }
}
