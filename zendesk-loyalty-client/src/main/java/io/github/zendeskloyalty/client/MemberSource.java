package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.core.LoyaltyMember;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Where {@link ZendeskLoyaltySync#reconcile} reads the members' current snapshots: the loyalty
 * store, not what the SDK last sent. {@link #lookup} is called once per page of Zendesk's user
 * export (up to 1,000 member ids), so what a reconcile holds is bounded by a page, not by the
 * account or the store; {@link #forEach} runs once, after the export, to find members that no
 * Zendesk user carries.
 *
 * <pre>{@code
 * MemberSource source = new MemberSource() {
 *   public Map<String, LoyaltyMember> lookup(Set<String> memberIds) {
 *     return repository.findAllById(memberIds).stream()          // one query a page
 *         .collect(toMap(LoyaltyMember::memberId, m -> m));
 *   }
 *   public void forEach(Consumer<LoyaltyMember> action) {
 *     repository.streamAll().forEach(action);                     // streamed, not loaded
 *   }
 * };
 * ReconcileReport report = sync.reconcile(source, ReconcileOptions.defaults());
 * }</pre>
 *
 * <p>A lookup that throws stops the reconcile with that failure (its checkpoint, if any, then
 * resumes after the last page it finished); it never reads as "the member is gone".
 */
public interface MemberSource {

  /**
   * The snapshots of the members among {@code memberIds} that the store has, by member id; a
   * member it does not have is absent from the map.
   */
  Map<String, LoyaltyMember> lookup(Set<String> memberIds);

  /** Gives every member of the store to {@code action}, each once. */
  void forEach(Consumer<LoyaltyMember> action);

  /**
   * A source of these members, held in memory (a test, a small program; see the CLI's
   * {@code reconcile FILE} for a file's members).
   *
   * @throws IllegalArgumentException when two of them have one member id
   */
  static MemberSource of(Collection<LoyaltyMember> members) {
    Map<String, LoyaltyMember> byId = members.stream().collect(Collectors.toMap(
        LoyaltyMember::memberId, Function.identity(), (first, second) -> {
          throw new IllegalArgumentException("two members have the member id "
              + first.memberId());
        }, java.util.LinkedHashMap::new));
    return new MemberSource() {
      @Override
      public Map<String, LoyaltyMember> lookup(Set<String> memberIds) {
        return memberIds.stream().filter(byId::containsKey)
            .collect(Collectors.toMap(Function.identity(), byId::get));
      }

      @Override
      public void forEach(Consumer<LoyaltyMember> action) {
        Objects.requireNonNull(action, "action");
        byId.values().forEach(action);
      }
    };
  }
}
