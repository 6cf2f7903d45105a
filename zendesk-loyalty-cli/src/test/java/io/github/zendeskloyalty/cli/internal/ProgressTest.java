package io.github.zendeskloyalty.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void theLineShowsCountsRateAndEtaWithProblemsOnlyOnceThereAreAny() {
    Progress progress = new Progress(1_000, 0);
    progress.read.set(600);
    progress.confirmed.set(400);
    progress.calls.set(7);

    assertThat(progress.line(4 * SECOND, 120)).isEqualTo(
        "[#########...............]  40% 600/1,000 read · 400 ok · 7 calls · 100/s · ETA 0:06");

    progress.failed.set(100);
    progress.rejected.set(2);
    progress.throttled.set(3);
    assertThat(progress.line(5 * SECOND, 200)).endsWith(
        "50% 600/1,000 read · 400 ok · 100 failed · 2 rejected · 7 calls · 3 429s · 100/s"
            + " · ETA 0:04");
  }

  @Test
  void theLineNeverFillsTheTerminalWidthSoItCanBeRedrawnInPlace() {
    Progress progress = new Progress(2_000_000, 0);
    progress.read.set(1_500_000);
    progress.confirmed.set(1_200_000);
    progress.failed.set(12_345);
    progress.rejected.set(678);
    progress.calls.set(12_100);
    progress.throttled.set(42);

    for (int width : new int[] {40, 80, 100, 200}) {
      assertThat(progress.line(600 * SECOND, width)).hasSizeLessThan(width);
    }
    assertThat(progress.line(600 * SECOND, 200)).startsWith("[##############..........]");
  }

  @Test
  void drawingGoesBackToTheLineStartAndBlanksWhatALongerLineLeft() {
    Progress progress = new Progress(10, 0);
    StringWriter screen = new StringWriter();
    PrintWriter out = new PrintWriter(screen);
    progress.failed.set(1);
    progress.draw(out, SECOND, 120);
    int first = screen.toString().length();
    progress.failed.set(0);
    progress.confirmed.set(1);

    progress.draw(out, 2 * SECOND, 120);

    String second = screen.toString().substring(first);
    assertThat(second).startsWith("\r").doesNotContain("\n");
    assertThat(second.length()).isEqualTo(first);
  }

  @Test
  void etaReadsAsAClock() {
    assertThat(Progress.clock(59)).isEqualTo("0:59");
    assertThat(Progress.clock(3_725)).isEqualTo("1:02:05");
  }
}
