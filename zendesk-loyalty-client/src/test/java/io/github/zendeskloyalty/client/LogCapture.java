package io.github.zendeskloyalty.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Captures what the SDK logs (System.Logger goes to java.util.logging by default). */
final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger = Logger.getLogger("io.github.zendeskloyalty.client");
  private final Level before = logger.getLevel();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  LogCapture() {
    logger.setLevel(Level.ALL);
    logger.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  /** Every line logged, formatted as a log file would show it. */
  List<String> lines() {
    SimpleFormatter formatter = new SimpleFormatter();
    return records.stream().map(formatter::format).toList();
  }

  /** The messages logged at exactly this level. */
  List<String> at(Level level) {
    return records.stream().filter(record -> record.getLevel() == level)
        .map(LogRecord::getMessage).toList();
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(before);
  }
}
