package io.github.zendeskloyalty.client.internal;

import java.util.List;

/**
 * What the engine holds pending or in flight, by profile key, so that a scan of the whole
 * account keeps only the user ids of members it will write. Not part of the API.
 */
interface PendingMembers {

  /** Whether a member with this profile key is pending or in flight. */
  boolean isPending(String profileKey);

  /** The profile keys of every member pending or in flight. */
  List<String> profileKeys();

  /** Nothing pending: for a directory used without an engine. */
  PendingMembers NONE = new PendingMembers() {
    @Override
    public boolean isPending(String profileKey) {
      return false;
    }

    @Override
    public List<String> profileKeys() {
      return List.of();
    }
  };
}
