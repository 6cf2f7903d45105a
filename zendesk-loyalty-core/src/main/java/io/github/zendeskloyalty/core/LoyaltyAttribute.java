package io.github.zendeskloyalty.core;


import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The 21 member attributes of the integration, in the order of the seed table, each with its
 * default Zendesk field key, field type, title and description.
 *
 * <pre>{@code
 * LoyaltyAttribute.AVAILABLE_POINTS.defaultKey();   // "zrl_member_available_points"
 * LoyaltyAttribute.AVAILABLE_POINTS.defaultType();  // ZendeskFieldType.DECIMAL
 * LoyaltyAttribute.AVAILABLE_POINTS.value(member);  // member.availablePoints()
 * }</pre>
 *
 * <p>The seed's "Text" is Zendesk {@code text}, "Decimal" is {@code decimal} and "Number" is
 * {@code integer}. The four dates are "Text" in the seed; {@link #supportedTypes()} says which
 * other types a schema may give an attribute (a date may become a Zendesk {@code date} field).
 */
public enum LoyaltyAttribute {
  /** Total available points against the member. */
  AVAILABLE_POINTS("zrl_member_available_points", Kind.DECIMAL, "Loyalty: available points",
      "Total available points against the member.", LoyaltyMember::availablePoints),
  /** Unique member id. */
  MEMBER_ID("zrl_member_member_id", Kind.TEXT, "Loyalty: member ID",
      "Unique Member ID of Member.", LoyaltyMember::memberId),
  /** Status of the member. */
  MEMBER_STATUS("zrl_member_member_status", Kind.TEXT, "Loyalty: member status",
      "Status of the Member such as active, block, deleted, opted out.",
      member -> member.status() == null ? null : member.status().wireText()),
  /** Number of purchases. */
  NUMBER_OF_PURCHASES("zrl_member_number_of_purchases", Kind.INTEGER,
      "Loyalty: number of purchases", "Number of purchases made by the member.",
      LoyaltyMember::numberOfPurchases),
  /** Number of redemptions. */
  NUMBER_OF_REDEMPTIONS("zrl_member_number_of_redemptions", Kind.INTEGER,
      "Loyalty: number of redemptions", "Number of redemptions made by a member.",
      LoyaltyMember::numberOfRedemptions),
  /** Enrollment date. */
  ENROLLMENT_DATE("zrl_member_enrollment_date", Kind.DATE, "Loyalty: enrollment date",
      "The date when a Member enrolled in the Loyalty Program.", LoyaltyMember::enrollmentDate),
  /** Last modification of the member's loyalty data. */
  LAST_MODIFIED_DATE("zrl_member_last_modified_date", Kind.DATE, "Loyalty: last modified date",
      "The last date when a Member's loyalty data has been modified.",
      LoyaltyMember::lastModifiedDate),
  /** Lifetime points earned. */
  LIFETIME_POINTS_EARNED("zrl_member_lifetime_points_earned", Kind.DECIMAL,
      "Loyalty: lifetime points earned", "Total lifetime points earned by a member till date.",
      LoyaltyMember::lifetimePointsEarned),
  /** Lifetime points expired. */
  LIFETIME_POINTS_EXPIRED("zrl_member_lifetime_points_expired", Kind.DECIMAL,
      "Loyalty: lifetime points expired", "Total lifetime points expired for a member till date.",
      LoyaltyMember::lifetimePointsExpired),
  /** Lifetime points redeemed. */
  LIFETIME_POINTS_REDEEMED("zrl_member_lifetime_points_redeemed", Kind.DECIMAL,
      "Loyalty: lifetime points redeemed",
      "Total lifetime points redeemed after redeeming a reward by a member till date.",
      LoyaltyMember::lifetimePointsRedeemed),
  /** Lifetime points deducted. */
  LIFETIME_POINTS_DEDUCTED("zrl_member_lifetime_points_deducted", Kind.DECIMAL,
      "Loyalty: lifetime points deducted",
      "Total lifetime points deducted against the member till date.",
      LoyaltyMember::lifetimePointsDeducted),
  /** Referral URL. */
  REFERRAL_URL("zrl_member_referral_url", Kind.TEXT, "Loyalty: referral URL",
      "Unique referral URL of member used for refer-a-friend events.",
      member -> member.referralUrl() == null ? null : member.referralUrl().toString()),
  /** First name. */
  FIRST_NAME("first_name", Kind.TEXT, "Loyalty: first name", "First name of the member.",
      LoyaltyMember::firstName),
  /** Email address. */
  EMAIL("email", Kind.TEXT, "Loyalty: email", "The email address of the member.",
      LoyaltyMember::email),
  /** Phone number. */
  PHONE("phone", Kind.TEXT, "Loyalty: phone", "The phone number of the member.",
      LoyaltyMember::phone),
  /** Last name. */
  LAST_NAME("last_name", Kind.TEXT, "Loyalty: last name", "Last name of the member.",
      LoyaltyMember::lastName),
  /** First purchase date. */
  FIRST_PURCHASE_DATE("zrl_member_first_purchase_date", Kind.DATE,
      "Loyalty: first purchase date", "The date on which the member made a first purchase.",
      LoyaltyMember::firstPurchaseDate),
  /** Last purchase date. */
  LAST_PURCHASE_DATE("zrl_member_last_purchase_date", Kind.DATE, "Loyalty: last purchase date",
      "The date on which the member made a last purchase.", LoyaltyMember::lastPurchaseDate),
  /** Current tier name. */
  LOYALTY_TIER_NAME("zrl_member_loyalty_tier_name", Kind.TEXT, "Loyalty: tier name",
      "Current loyalty tier name in which member exists currently.",
      LoyaltyMember::loyaltyTierName),
  /** Current tier id. */
  LOYALTY_TIER_ID("zrl_member_loyalty_tier_id", Kind.TEXT, "Loyalty: tier ID",
      "Current loyalty tier ID in which member exists currently.", LoyaltyMember::loyaltyTierId),
  /** Qualified points. */
  QUALIFIED_POINTS("zrl_member_qualified_points", Kind.DECIMAL, "Loyalty: qualified points",
      "The points qualified by a member. These qualified points are considered to check the"
          + " eligibility of the member for tier upgrade, tier downgrade, etc.",
      LoyaltyMember::qualifiedPoints);

  /** What kind of value an attribute holds, which decides the field types it can be written to. */
  private enum Kind {
    TEXT(ZendeskFieldType.TEXT, EnumSet.of(ZendeskFieldType.TEXT, ZendeskFieldType.TEXTAREA)),
    INTEGER(ZendeskFieldType.INTEGER, EnumSet.of(ZendeskFieldType.INTEGER,
        ZendeskFieldType.DECIMAL, ZendeskFieldType.TEXT, ZendeskFieldType.TEXTAREA)),
    DECIMAL(ZendeskFieldType.DECIMAL, EnumSet.of(ZendeskFieldType.DECIMAL, ZendeskFieldType.TEXT,
        ZendeskFieldType.TEXTAREA)),
    DATE(ZendeskFieldType.TEXT, EnumSet.of(ZendeskFieldType.TEXT, ZendeskFieldType.TEXTAREA,
        ZendeskFieldType.DATE));

    private final ZendeskFieldType seedType;
    private final Set<ZendeskFieldType> supported;

    Kind(ZendeskFieldType seedType, Set<ZendeskFieldType> supported) {
      this.seedType = seedType;
      this.supported = supported;
    }
  }

  private final String defaultKey;
  private final Kind kind;
  private final String title;
  private final String description;
  private final Function<LoyaltyMember, Object> accessor;

  LoyaltyAttribute(String defaultKey, Kind kind, String title, String description,
      Function<LoyaltyMember, Object> accessor) {
    this.defaultKey = defaultKey;
    this.kind = kind;
    this.title = title;
    this.description = description;
    this.accessor = accessor;
  }

  /** The Zendesk field key of the seed table, for example {@code "zrl_member_loyalty_tier_name"}. */
  public String defaultKey() {
    return defaultKey;
  }

  /** The Zendesk field type of the seed table. */
  public ZendeskFieldType defaultType() {
    return kind.seedType;
  }

  /** The field types this attribute's value can be written to. */
  public Set<ZendeskFieldType> supportedTypes() {
    return Set.copyOf(kind.supported);
  }

  /** The field title shown to agents and admins in Zendesk. */
  public String title() {
    return title;
  }

  /** The field description of the seed table. */
  public String description() {
    return description;
  }

  /**
   * Reads this attribute from a member: a {@code String}, {@code Long}, {@code BigDecimal} or
   * {@code Instant}, or {@code null} when the member does not know it.
   */
  public Object value(LoyaltyMember member) {
    Objects.requireNonNull(member, "member");
    return accessor.apply(member);
  }

  /** Whether this attribute is one of the four dates (an {@code Instant} value). */
  public boolean isDate() {
    return kind == Kind.DATE;
  }
}
