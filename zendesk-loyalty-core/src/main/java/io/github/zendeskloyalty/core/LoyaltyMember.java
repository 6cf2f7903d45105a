package io.github.zendeskloyalty.core;

import io.github.zendeskloyalty.core.internal.Redaction;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A loyalty member as the loyalty platform knows it: the 21 attributes of the integration, one
 * snapshot in time. Immutable and valid by construction.
 *
 * <pre>{@code
 * LoyaltyMember member = LoyaltyMember.builder()
 *     .memberId("M-1001")
 *     .email("jane@example.com")
 *     .firstName("Jane")
 *     .availablePoints(new BigDecimal("1250.50"))
 *     .loyaltyTierName("Gold")
 *     .lastModifiedDate(Instant.parse("2026-11-24T10:15:30Z"))
 *     .build();
 * LoyaltyMember after = member.toBuilder().availablePoints(new BigDecimal("1000")).build();
 * }</pre>
 *
 * <p>Every component but {@code memberId} and the two counts may be {@code null}, meaning "not
 * known"; an unknown value clears the Zendesk field so no stale data stays behind.
 *
 * @param memberId the member's unique id in the loyalty platform; required, not blank
 * @param availablePoints points the member can spend now (may be negative after deductions)
 * @param status the member's state in the program
 * @param numberOfPurchases purchases made by the member; not negative
 * @param numberOfRedemptions redemptions made by the member; not negative
 * @param enrollmentDate when the member enrolled
 * @param lastModifiedDate when the member's loyalty data last changed; orders snapshots so an
 *     older one never overwrites a newer one
 * @param lifetimePointsEarned points earned to date; not negative
 * @param lifetimePointsExpired points expired to date; not negative
 * @param lifetimePointsRedeemed points redeemed to date; not negative
 * @param lifetimePointsDeducted points deducted to date; not negative
 * @param referralUrl the member's refer-a-friend link; absolute http or https
 * @param firstName the member's first name
 * @param email the member's email address, shaped like {@code name@domain.tld}
 * @param phone the member's phone number, as the platform stores it
 * @param lastName the member's last name
 * @param firstPurchaseDate when the member first purchased
 * @param lastPurchaseDate when the member last purchased
 * @param loyaltyTierName the name of the member's current tier
 * @param loyaltyTierId the id of the member's current tier
 * @param qualifiedPoints points that count towards tier upgrades and downgrades
 */
public record LoyaltyMember(
    String memberId,
    BigDecimal availablePoints,
    MemberStatus status,
    long numberOfPurchases,
    long numberOfRedemptions,
    Instant enrollmentDate,
    Instant lastModifiedDate,
    BigDecimal lifetimePointsEarned,
    BigDecimal lifetimePointsExpired,
    BigDecimal lifetimePointsRedeemed,
    BigDecimal lifetimePointsDeducted,
    URI referralUrl,
    String firstName,
    String email,
    String phone,
    String lastName,
    Instant firstPurchaseDate,
    Instant lastPurchaseDate,
    String loyaltyTierName,
    String loyaltyTierId,
    BigDecimal qualifiedPoints) {

  /** The most digits a decimal attribute may have before, and after, the decimal point. */
  public static final int MAX_DECIMAL_DIGITS = 30;


  /**
   * Validates the snapshot.
   *
   * @throws IllegalArgumentException naming the attribute and what is wrong with its value
   */
  public LoyaltyMember {
    if (memberId == null) {
      throw new IllegalArgumentException("memberId is required but was null");
    }
    if (memberId.isBlank()) {
      throw new IllegalArgumentException("memberId must not be blank: '" + memberId + "'");
    }
    requireHoldable("availablePoints", availablePoints);
    requireHoldable("lifetimePointsEarned", lifetimePointsEarned);
    requireHoldable("lifetimePointsExpired", lifetimePointsExpired);
    requireHoldable("lifetimePointsRedeemed", lifetimePointsRedeemed);
    requireHoldable("lifetimePointsDeducted", lifetimePointsDeducted);
    requireHoldable("qualifiedPoints", qualifiedPoints);
    requireNotNegative("numberOfPurchases", numberOfPurchases);
    requireNotNegative("numberOfRedemptions", numberOfRedemptions);
    requireNotNegative("lifetimePointsEarned", lifetimePointsEarned);
    requireNotNegative("lifetimePointsExpired", lifetimePointsExpired);
    requireNotNegative("lifetimePointsRedeemed", lifetimePointsRedeemed);
    requireNotNegative("lifetimePointsDeducted", lifetimePointsDeducted);
    if (email != null && !emailShaped(email)) {
      throw new IllegalArgumentException(
          "email must look like name@domain.tld (member " + memberId + "): '"
              + Redaction.maskEmail(email) + "'");
    }
    if (referralUrl != null) {
      String scheme = referralUrl.getScheme() == null
          ? "" : referralUrl.getScheme().toLowerCase(Locale.ROOT);
      if (!referralUrl.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
        throw new IllegalArgumentException(
            "referralUrl must be an absolute http or https URL: '" + referralUrl + "'");
      }
    }
  }

  /**
   * Whether {@code email} has the shape name@domain.tld: one {@code @}, a name before it, a
   * domain of two or more non-empty dot-separated labels after it, and no whitespace. The
   * regular expression {@code [^\s@]+@[^\s@.]+(\.[^\s@.]+)+} says the same; this loop runs on
   * every snapshot built, at a fraction of the expression's cost.
   */
  static boolean emailShaped(String email) {
    int at = email.indexOf('@');
    if (at <= 0 || email.indexOf('@', at + 1) >= 0) {
      return false;
    }
    int labels = 0;
    int labelStart = at + 1;
    for (int i = 0; i <= email.length(); i++) {
      char c = i == email.length() ? '.' : email.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r') {
        return false;
      }
      if (i > at && c == '.') {
        if (i == labelStart) {
          return false;
        }
        labels++;
        labelStart = i + 1;
      }
    }
    return labels >= 2;
  }

  private static void requireNotNegative(String attribute, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(attribute + " must not be negative: " + value);
    }
  }

  /**
   * Refuses a decimal no Zendesk decimal field holds before anything writes it out in full
   * (1e999999999 would be a billion digits): at most {@value #MAX_DECIMAL_DIGITS} digits before the point and
   * as many after it.
   */
  private static void requireHoldable(String attribute, BigDecimal value) {
    if (value != null && (value.precision() - value.scale() > MAX_DECIMAL_DIGITS
        || value.scale() > MAX_DECIMAL_DIGITS)) {
      throw new IllegalArgumentException(attribute + " must have at most " + MAX_DECIMAL_DIGITS
          + " digits before and after the decimal point (a Zendesk decimal field holds no"
          + " more): " + value); // toString: the short scientific form
    }
  }

  private static void requireNotNegative(String attribute, BigDecimal value) {
    if (value != null && value.signum() < 0) {
      throw new IllegalArgumentException(
          attribute + " must not be negative: " + value.toPlainString());
    }
  }

  /** A builder with every attribute unset (counts at zero). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this member's values, to derive a changed snapshot. */
  public Builder toBuilder() {
    return new Builder()
        .memberId(memberId)
        .availablePoints(availablePoints)
        .status(status)
        .numberOfPurchases(numberOfPurchases)
        .numberOfRedemptions(numberOfRedemptions)
        .enrollmentDate(enrollmentDate)
        .lastModifiedDate(lastModifiedDate)
        .lifetimePointsEarned(lifetimePointsEarned)
        .lifetimePointsExpired(lifetimePointsExpired)
        .lifetimePointsRedeemed(lifetimePointsRedeemed)
        .lifetimePointsDeducted(lifetimePointsDeducted)
        .referralUrl(referralUrl)
        .firstName(firstName)
        .email(email)
        .phone(phone)
        .lastName(lastName)
        .firstPurchaseDate(firstPurchaseDate)
        .lastPurchaseDate(lastPurchaseDate)
        .loyaltyTierName(loyaltyTierName)
        .loyaltyTierId(loyaltyTierId)
        .qualifiedPoints(qualifiedPoints);
  }

  /**
   * The member without its contact details, safe for logs: the email is masked and the phone
   * left out.
   */
  @Override
  public String toString() {
    return "LoyaltyMember[memberId=" + memberId
        + ", email=" + (email == null ? null : Redaction.maskEmail(email))
        + ", status=" + status
        + ", availablePoints=" + availablePoints
        + ", loyaltyTierName=" + loyaltyTierName
        + ", lastModifiedDate=" + lastModifiedDate + "]";
  }

  /**
   * Collects a member's attributes; {@link #build()} validates them.
   *
   * <pre>{@code
   * LoyaltyMember member = LoyaltyMember.builder().memberId("M-1").email("a@b.com").build();
   * }</pre>
   */
  public static final class Builder {
    private String memberId;
    private BigDecimal availablePoints;
    private MemberStatus status;
    private long numberOfPurchases;
    private long numberOfRedemptions;
    private Instant enrollmentDate;
    private Instant lastModifiedDate;
    private BigDecimal lifetimePointsEarned;
    private BigDecimal lifetimePointsExpired;
    private BigDecimal lifetimePointsRedeemed;
    private BigDecimal lifetimePointsDeducted;
    private URI referralUrl;
    private String firstName;
    private String email;
    private String phone;
    private String lastName;
    private Instant firstPurchaseDate;
    private Instant lastPurchaseDate;
    private String loyaltyTierName;
    private String loyaltyTierId;
    private BigDecimal qualifiedPoints;

    private Builder() {}

    /** Sets {@link LoyaltyMember#memberId()}. */
    public Builder memberId(String memberId) {
      this.memberId = memberId;
      return this;
    }

    /** Sets {@link LoyaltyMember#availablePoints()}. */
    public Builder availablePoints(BigDecimal availablePoints) {
      this.availablePoints = availablePoints;
      return this;
    }

    /** Sets {@link LoyaltyMember#status()}. */
    public Builder status(MemberStatus status) {
      this.status = status;
      return this;
    }

    /** Sets {@link LoyaltyMember#numberOfPurchases()}. */
    public Builder numberOfPurchases(long numberOfPurchases) {
      this.numberOfPurchases = numberOfPurchases;
      return this;
    }

    /** Sets {@link LoyaltyMember#numberOfRedemptions()}. */
    public Builder numberOfRedemptions(long numberOfRedemptions) {
      this.numberOfRedemptions = numberOfRedemptions;
      return this;
    }

    /** Sets {@link LoyaltyMember#enrollmentDate()}. */
    public Builder enrollmentDate(Instant enrollmentDate) {
      this.enrollmentDate = enrollmentDate;
      return this;
    }

    /** Sets {@link LoyaltyMember#lastModifiedDate()}. */
    public Builder lastModifiedDate(Instant lastModifiedDate) {
      this.lastModifiedDate = lastModifiedDate;
      return this;
    }

    /** Sets {@link LoyaltyMember#lifetimePointsEarned()}. */
    public Builder lifetimePointsEarned(BigDecimal lifetimePointsEarned) {
      this.lifetimePointsEarned = lifetimePointsEarned;
      return this;
    }

    /** Sets {@link LoyaltyMember#lifetimePointsExpired()}. */
    public Builder lifetimePointsExpired(BigDecimal lifetimePointsExpired) {
      this.lifetimePointsExpired = lifetimePointsExpired;
      return this;
    }

    /** Sets {@link LoyaltyMember#lifetimePointsRedeemed()}. */
    public Builder lifetimePointsRedeemed(BigDecimal lifetimePointsRedeemed) {
      this.lifetimePointsRedeemed = lifetimePointsRedeemed;
      return this;
    }

    /** Sets {@link LoyaltyMember#lifetimePointsDeducted()}. */
    public Builder lifetimePointsDeducted(BigDecimal lifetimePointsDeducted) {
      this.lifetimePointsDeducted = lifetimePointsDeducted;
      return this;
    }

    /** Sets {@link LoyaltyMember#referralUrl()}. */
    public Builder referralUrl(URI referralUrl) {
      this.referralUrl = referralUrl;
      return this;
    }

    /** Sets {@link LoyaltyMember#firstName()}. */
    public Builder firstName(String firstName) {
      this.firstName = firstName;
      return this;
    }

    /** Sets {@link LoyaltyMember#email()}. */
    public Builder email(String email) {
      this.email = email;
      return this;
    }

    /** Sets {@link LoyaltyMember#phone()}. */
    public Builder phone(String phone) {
      this.phone = phone;
      return this;
    }

    /** Sets {@link LoyaltyMember#lastName()}. */
    public Builder lastName(String lastName) {
      this.lastName = lastName;
      return this;
    }

    /** Sets {@link LoyaltyMember#firstPurchaseDate()}. */
    public Builder firstPurchaseDate(Instant firstPurchaseDate) {
      this.firstPurchaseDate = firstPurchaseDate;
      return this;
    }

    /** Sets {@link LoyaltyMember#lastPurchaseDate()}. */
    public Builder lastPurchaseDate(Instant lastPurchaseDate) {
      this.lastPurchaseDate = lastPurchaseDate;
      return this;
    }

    /** Sets {@link LoyaltyMember#loyaltyTierName()}. */
    public Builder loyaltyTierName(String loyaltyTierName) {
      this.loyaltyTierName = loyaltyTierName;
      return this;
    }

    /** Sets {@link LoyaltyMember#loyaltyTierId()}. */
    public Builder loyaltyTierId(String loyaltyTierId) {
      this.loyaltyTierId = loyaltyTierId;
      return this;
    }

    /** Sets {@link LoyaltyMember#qualifiedPoints()}. */
    public Builder qualifiedPoints(BigDecimal qualifiedPoints) {
      this.qualifiedPoints = qualifiedPoints;
      return this;
    }

    /**
     * Sets one attribute from its text, as an export or an event carries it: numbers as written
     * (decimals exact), whole numbers for counts, dates as {@code 2026-11-24T10:15:30Z}, with an
     * offset, or {@code 2026-11-24} (midnight UTC), the status by its wire text
     * ({@code opted_out}), the referral URL as a URI. Surrounding blanks are ignored.
     *
     * <pre>{@code
     * LoyaltyMember member = LoyaltyMember.builder()
     *     .set(LoyaltyAttribute.MEMBER_ID, "M-1")
     *     .set(LoyaltyAttribute.AVAILABLE_POINTS, "1250.50")
     *     .build();
     * }</pre>
     *
     * @throws IllegalArgumentException saying what the text is not ("is not a number"), without
     *     the text itself
     */
    public Builder set(LoyaltyAttribute attribute, String text) {
      Objects.requireNonNull(attribute, "attribute");
      String value = Objects.requireNonNull(text, "text").strip();
      switch (attribute) {
        case MEMBER_ID -> memberId(value);
        case AVAILABLE_POINTS -> availablePoints(AttributeText.decimal(value));
        case MEMBER_STATUS -> status(AttributeText.status(value));
        case NUMBER_OF_PURCHASES -> numberOfPurchases(AttributeText.whole(value));
        case NUMBER_OF_REDEMPTIONS -> numberOfRedemptions(AttributeText.whole(value));
        case ENROLLMENT_DATE -> enrollmentDate(AttributeText.instant(value));
        case LAST_MODIFIED_DATE -> lastModifiedDate(AttributeText.instant(value));
        case LIFETIME_POINTS_EARNED -> lifetimePointsEarned(AttributeText.decimal(value));
        case LIFETIME_POINTS_EXPIRED -> lifetimePointsExpired(AttributeText.decimal(value));
        case LIFETIME_POINTS_REDEEMED -> lifetimePointsRedeemed(AttributeText.decimal(value));
        case LIFETIME_POINTS_DEDUCTED -> lifetimePointsDeducted(AttributeText.decimal(value));
        case REFERRAL_URL -> referralUrl(AttributeText.url(value));
        case FIRST_NAME -> firstName(value);
        case EMAIL -> email(value);
        case PHONE -> phone(value);
        case LAST_NAME -> lastName(value);
        case FIRST_PURCHASE_DATE -> firstPurchaseDate(AttributeText.instant(value));
        case LAST_PURCHASE_DATE -> lastPurchaseDate(AttributeText.instant(value));
        case LOYALTY_TIER_NAME -> loyaltyTierName(value);
        case LOYALTY_TIER_ID -> loyaltyTierId(value);
        case QUALIFIED_POINTS -> qualifiedPoints(AttributeText.decimal(value));
      }
      return this;
    }

    /**
     * Builds and validates the member.
     *
     * @throws IllegalArgumentException naming the attribute and what is wrong with its value
     */
    public LoyaltyMember build() {
      return new LoyaltyMember(memberId, availablePoints, status, numberOfPurchases,
          numberOfRedemptions, enrollmentDate, lastModifiedDate, lifetimePointsEarned,
          lifetimePointsExpired, lifetimePointsRedeemed, lifetimePointsDeducted, referralUrl,
          firstName, email, phone, lastName, firstPurchaseDate, lastPurchaseDate, loyaltyTierName,
          loyaltyTierId, qualifiedPoints);
    }
  }
}
