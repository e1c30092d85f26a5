package org.rtc4j.transfer;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;
import org.rtc4j.transfer.internal.CodeWords;

/**
 * A transfer code, {@code <nameplate>-<word>-<word>} as magic-wormhole prints it: the nameplate (a small number)
 * is all the rendezvous server sees and pairs the two ends by; the words never leave the two ends and are the
 * only input of the key exchange (J-PAKE), so a server cannot test guesses offline, and each online guess costs
 * the attacker one of the sender's few tries.
 *
 * <p>A link ({@code http://server/t#<nameplate>-<secret>}) carries instead a long random secret (256 bits) in its
 * fragment, which browsers never send to the server; each end proves knowledge of it with an HMAC over both
 * DTLS fingerprints. A sender holds both, so a receiver may use either.
 *
 * @param nameplate 1 to {@link #MAX_NAMEPLATE}
 * @param words two or more words of the code's list, lower case, joined with '-'; null for a link
 * @param secret the link's secret, 32 bytes in base64url without padding; null for a spoken code
 */
public record TransferCode(int nameplate, String words, String secret) {

    /** The largest nameplate: short enough to read out. */
    public static final int MAX_NAMEPLATE = 9999;
    /** The path of the transfer page on the demo server; the fragment holds the nameplate and the secret. */
    public static final String PAGE = "/t";
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");

    public TransferCode {
        if (nameplate < 1 || nameplate > MAX_NAMEPLATE) {
            throw new IllegalArgumentException("the code's number must be 1.." + MAX_NAMEPLATE + ": " + nameplate);
        }
        if (words == null && secret == null) {
            throw new IllegalArgumentException("a code has words or a link's secret");
        }
        if (words != null) {
            String[] parts = words.split("-", -1);
            if (parts.length < 2) {
                throw new IllegalArgumentException("a code has a number and at least two words, as 7-pepper-tiger");
            }
            for (String w : parts) {
                if (!CodeWords.known(w)) {
                    throw new IllegalArgumentException("'" + w + "' is not a word of a transfer code: check the spelling");
                }
            }
        }
        if (secret != null && !SECRET.matcher(secret).matches()) {
            throw new IllegalArgumentException("a link's secret is 43 characters of base64url: check the link");
        }
    }

    /** A spoken code. */
    public TransferCode(int nameplate, String words) {
        this(nameplate, words, null);
    }

    /** A new code at {@code nameplate} with two random words (16 bits, enough against online guessing) and a link secret. */
    public static TransferCode generate(int nameplate, SecureRandom random) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return new TransferCode(nameplate, CodeWords.random(random, 2),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /**
     * Parses a spoken code {@code 7-pepper-tiger} (case and surrounding blanks ignored), a link
     * {@code http://host/t#7-<secret>}, or a link's fragment alone {@code 7-<secret>}.
     */
    public static TransferCode parse(String text) {
        String t = text.strip();
        int hash = t.indexOf('#');
        if (hash >= 0) {
            t = t.substring(hash + 1);
        }
        int dash = t.indexOf('-');
        if (dash < 1 || dash > 4) {
            throw new IllegalArgumentException("a code starts with its number, as 7-pepper-tiger: " + text);
        }
        int number;
        try {
            number = Integer.parseInt(t.substring(0, dash));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a code starts with its number, as 7-pepper-tiger: " + text);
        }
        String rest = t.substring(dash + 1);
        if (SECRET.matcher(rest).matches() && !rest.chars().allMatch(c -> c == '-' || c >= 'a' && c <= 'z')) {
            return new TransferCode(number, null, rest);
        }
        return new TransferCode(number, rest.toLowerCase(Locale.ROOT), null);
    }

    /** The server of a link ({@code http://host:port}), or null when {@code text} is a code, not a link. */
    public static String server(String text) {
        String t = text.strip();
        int hash = t.indexOf('#');
        if (hash < 0 || !t.contains("://")) {
            return null;
        }
        URI u = URI.create(t.substring(0, hash));
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    /** The link that receives this transfer in a browser (or with {@code ./rtc4j receive LINK}). */
    public String link(String server) {
        if (secret == null) {
            throw new IllegalStateException("a spoken code has no link");
        }
        String base = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        return base + PAGE + "#" + nameplate + "-" + secret;
    }

    /** The spoken code, or a link's fragment when there are no words. */
    @Override
    public String toString() {
        return nameplate + "-" + (words != null ? words : secret);
    }
}
