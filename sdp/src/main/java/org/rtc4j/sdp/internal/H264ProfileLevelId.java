package org.rtc4j.sdp.internal;

/**
 * The H.264 {@code profile-level-id} (RFC 6184 section 8.1): three bytes in hex, profile_idc, profile-iop (the
 * constraint_set flags) and level_idc. Two offers name the same profile when profile_idc and the flags that
 * matter say so (RFC 6184 table 5 and the H.264 spec's Annex A): 42e01f and 4d401f are both Constrained
 * Baseline. Absent, it is 42000a, Baseline level 1 (RFC 6184 section 8.1).
 */
public record H264ProfileLevelId(Profile profile, int profileIdc, int profileIop, int levelIdc) {

    public enum Profile { CONSTRAINED_BASELINE, BASELINE, MAIN, EXTENDED, HIGH, CONSTRAINED_HIGH, PREDICTIVE_HIGH_444 }

    public static final String DEFAULT = "42000a";

    /** Level 1b: level_idc 11 with constraint_set3 in the Baseline, Constrained Baseline and Main profiles. */
    private static final int LEVEL_1B = 9; // ordered between 1 (10) and 1.1 (11)

    /** The profile and level, or null when the value is not six hex digits of a known profile. */
    public static H264ProfileLevelId parse(String hex) {
        if (hex == null) {
            hex = DEFAULT;
        }
        if (hex.length() != 6) {
            return null;
        }
        int v;
        try {
            v = Integer.parseUnsignedInt(hex, 16);
        } catch (NumberFormatException e) {
            return null;
        }
        int idc = v >>> 16;
        int iop = (v >>> 8) & 0xFF;
        int level = v & 0xFF;
        Profile p = profile(idc, iop);
        return p == null || level == 0 ? null : new H264ProfileLevelId(p, idc, iop, level);
    }

    private static boolean bit(int iop, int n) { // constraint_set<n>_flag, n = 0 is the highest bit
        return (iop & (0x80 >>> n)) != 0;
    }

    /** profile_idc, then the constraint flags that matter (mask) and their values, per RFC 6184 table 5. */
    private record Rule(int idc, int mask, int value, Profile profile) {
    }

    private static final Rule[] RULES = {
        new Rule(0x42, 0x4F, 0x40, Profile.CONSTRAINED_BASELINE), // x1xx0000
        new Rule(0x4D, 0x8F, 0x80, Profile.CONSTRAINED_BASELINE), // 1xxx0000
        new Rule(0x58, 0xCF, 0xC0, Profile.CONSTRAINED_BASELINE), // 11xx0000
        new Rule(0x42, 0x4F, 0x00, Profile.BASELINE),             // x0xx0000
        new Rule(0x58, 0xCF, 0x80, Profile.BASELINE),             // 10xx0000
        new Rule(0x58, 0x8F, 0x00, Profile.EXTENDED),             // 0xxx0000
        new Rule(0x4D, 0xAF, 0x00, Profile.MAIN),                 // 0x0x0000
        new Rule(0x64, 0xFF, 0x00, Profile.HIGH),                 // 00000000
        new Rule(0x64, 0xFF, 0x0C, Profile.CONSTRAINED_HIGH),     // 00001100
        new Rule(0xF4, 0xFF, 0x00, Profile.PREDICTIVE_HIGH_444),  // 00000000
    };

    private static Profile profile(int idc, int iop) {
        for (Rule r : RULES) {
            if (r.idc == idc && (iop & r.mask) == r.value) {
                return r.profile;
            }
        }
        return null;
    }

    /** The level as an ordered number (1b between 1 and 1.1). */
    public int level() {
        boolean oneB = levelIdc == 11 && bit(profileIop, 3)
                && (profile == Profile.BASELINE || profile == Profile.CONSTRAINED_BASELINE || profile == Profile.MAIN);
        return oneB ? LEVEL_1B : levelIdc;
    }

    /** The same profile bytes with another level, as six lower-case hex digits. */
    public String withLevelOf(H264ProfileLevelId other) {
        int iop = (profileIop & ~0x10) | (other.level() == LEVEL_1B ? 0x10 : 0);
        int level = other.level() == LEVEL_1B ? 11 : other.levelIdc;
        return String.format("%02x%02x%02x", profileIdc, iop, level);
    }
}
