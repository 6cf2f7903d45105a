package io.github.zendeskloyalty.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts {@link RedisWriteSlots} runs, each read, checked and written at once on the
 * server, sent by their SHA-1 ({@code EVALSHA}) and in full again when the server lost them.
 * Not part of the API.
 */
enum Script {
  /**
   * KEYS[1] the slot key; ARGV: now (µs since the epoch, or empty for the server's clock),
   * spacing (µs), the longest wait (µs). Returns the wait before the slot in µs, or -1 when the
   * slot would come after the longest wait (nothing is reserved then). A last slot more than an
   * hour ahead is no reservation of the SDK's (they end at a retry deadline): it is read as now.
   */
  RESERVE("""
      local now = tonumber(ARGV[1])
      if now == nil then
        local time = redis.call('TIME')
        now = tonumber(time[1]) * 1000000 + tonumber(time[2])
      end
      local last = tonumber(redis.call('GET', KEYS[1]) or '')
      if last == nil or last > now + 3600000000 then last = now - tonumber(ARGV[2]) end
      local slot = math.max(now, last + tonumber(ARGV[2]))
      if slot - now > tonumber(ARGV[3]) then return -1 end
      redis.call('SET', KEYS[1], string.format('%d', slot), 'PX',
          math.floor((slot - now) / 1000) + 600000)
      return slot - now
      """),

  /**
   * KEYS: a delivery's keys; ARGV[1] how long they are kept (ms). 1 when none exists (all are
   * set then), else 0 and nothing set: all or none.
   */
  CLAIM_ALL("""
      for i = 1, #KEYS do
        if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end
      end
      for i = 1, #KEYS do
        redis.call('SET', KEYS[i], '1', 'PX', ARGV[1])
      end
      return 1
      """),

  /**
   * KEYS[1] the pass key; ARGV: now, started after (epoch µs), kept (ms). The pass named there
   * unless it ended or began before ARGV[2]; else a new one, begun now.
   */
  JOIN_PASS("""
      local pass = redis.call('HGET', KEYS[1], 'pass')
      local ended = redis.call('HGET', KEYS[1], 'ended')
      if pass == false or ended == '1' or tonumber(pass) == nil
          or tonumber(pass) < tonumber(ARGV[2]) then
        redis.call('HSET', KEYS[1], 'pass', ARGV[1], 'ended', '0')
        pass = ARGV[1]
      end
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      return pass
      """),

  /**
   * KEYS[1] the page key, KEYS[2] its claim; ARGV: now, until (epoch µs), kept (ms). 1 when the
   * page is not stored and no claim holds past now (the claim is set until ARGV[2]), else 0.
   */
  CLAIM("""
      if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
      local held = tonumber(redis.call('GET', KEYS[2]) or '')
      if held ~= nil and held > tonumber(ARGV[1]) then return 0 end
      redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
      return 1
      """),

  /** KEYS[1] the pass key; ARGV[1] the pass: ends it, if it is still the one named there. */
  END_PASS("""
      if redis.call('HGET', KEYS[1], 'pass') == ARGV[1] then
        redis.call('HSET', KEYS[1], 'ended', '1')
      end
      return 1
      """),

  /**
   * KEYS[1] the total's key; ARGV: amount, limit, kept (ms). 1 when the amount was added (and
   * the total kept ARGV[3] ms from now, on the server's clock), 0 when a positive amount would
   * take it past the limit. Redis numbers: exact for whole points.
   */
  ADD_WITHIN("""
      local total = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
      local amount = tonumber(ARGV[1])
      if amount > 0 and total + amount > tonumber(ARGV[2]) then return 0 end
      redis.call('SET', KEYS[1], string.format('%.17g', total + amount), 'PX', ARGV[3])
      return 1
      """),

  /**
   * KEYS[1] the grant's key, KEYS[2] the index; ARGV: the grant, kept (ms), its id. Keeps the
   * grant and puts its id in the index (in the order first put, by the server's clock).
   */
  PUT_AWAITING("""
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      local time = redis.call('TIME')
      redis.call('ZADD', KEYS[2], 'NX', tonumber(time[1]) * 1000000 + tonumber(time[2]), ARGV[3])
      redis.call('PEXPIRE', KEYS[2], ARGV[2])
      return 1
      """),

  /**
   * KEYS[1] a token pair's key; ARGV: the version it replaces (0: none), the value. The new
   * version, or -1 when the stored one is another (nothing written).
   */
  WRITE_TOKENS("""
      local version = tonumber(redis.call('HGET', KEYS[1], 'version') or '0') or 0
      if version ~= tonumber(ARGV[1]) then return -1 end
      redis.call('HSET', KEYS[1], 'version', version + 1, 'value', ARGV[2])
      return version + 1
      """),

  /**
   * KEYS[1] a refresh lease; ARGV: the owner, its time (ms). 1 when the owner holds it now
   * (taken, or its own extended), 0 when another's has not expired on the server's clock.
   */
  LEASE("""
      local owner = redis.call('GET', KEYS[1])
      if owner and owner ~= ARGV[1] then return 0 end
      redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
      return 1
      """),

  /** KEYS[1] a refresh lease; ARGV[1] the owner: deleted if still the owner's. */
  RELEASE("""
      if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
      return 1
      """),

  /**
   * KEYS[1] a value's key, KEYS[2] its index; ARGV: the value expected, its id. 1 when the key
   * held that value and is deleted (its id out of the index), else 0 with nothing changed.
   */
  REMOVE_INDEXED("""
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
      redis.call('DEL', KEYS[1])
      redis.call('ZREM', KEYS[2], ARGV[2])
      return 1
      """),

  /** KEYS[1] the grant's key, KEYS[2] the index; ARGV[1] its id: the grant, taken out, or nil. */
  TAKE_AWAITING("""
      local grant = redis.call('GET', KEYS[1])
      if grant then redis.call('DEL', KEYS[1]) end
      redis.call('ZREM', KEYS[2], ARGV[1])
      return grant
      """);

  private final String text;
  private final String sha;

  Script(String text) {
    this.text = text;
    this.sha = sha1(text);
  }

  /** The script itself, for {@code SCRIPT LOAD}. */
  String text() {
    return text;
  }

  /** Its SHA-1, for {@code EVALSHA}. */
  String sha() {
    return sha;
  }

  private static String sha1(String script) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
          .digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException absent) {
      throw new IllegalStateException("every Java platform has SHA-1", absent);
    }
  }
}
