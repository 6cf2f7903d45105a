package io.github.zendeskloyalty.kafka;

import io.github.zendeskloyalty.core.LoyaltyEvent;

/**
 * Turns a Kafka record into a loyalty event: {@link LoyaltyEventJson#decoder()} for the SDK's
 * own JSON format, or your own for topics that carry Avro, Protobuf or your domain's JSON.
 *
 * <pre>{@code
 * LoyaltyEventDecoder avro = (topic, key, value) -> {
 *   PointsChanged changed = avroDeserializer.deserialize(topic, value);
 *   return new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, toMember(changed), changed.getAt());
 * };
 * }</pre>
 *
 * <p>A record it cannot decode goes to the dead-letter topic with the exception's message as
 * its reason, so say what is wrong without quoting customer data.
 */
@FunctionalInterface
public interface LoyaltyEventDecoder {

  /**
   * The event a record carries.
   *
   * @param topic the record's topic
   * @param key the record's key, or null
   * @param value the record's value, or null (a tombstone)
   * @throws IllegalArgumentException (or any exception) when the record is not an event
   */
  LoyaltyEvent decode(String topic, byte[] key, byte[] value);
}
