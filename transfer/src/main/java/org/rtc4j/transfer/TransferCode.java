package org.rtc4j.transfer;

import java.security.SecureRandom;
import java.util.Locale;
import org.rtc4j.transfer.internal.CodeWords;

/**
 * A transfer code, {@code <nameplate>-<word>-<word>} as magic-wormhole prints it: the nameplate (a small number)
 * is all the rendezvous server sees and pairs the two ends by; the words never leave the two ends and are the
 * only input of the key exchange (J-PAKE), so a server cannot test guesses offline, and each online guess costs
 * the attacker one of the sender's few tries.
 *
 * @param nameplate 1 to {@link #MAX_NAMEPLATE}
 * @param words two or more words of the code's list, lower case, joined with '-'
 */
public record TransferCode(int nameplate, String words) {

    /** The largest nameplate: short enough to read out. */
    public static final int MAX_NAMEPLATE = 9999;

    public TransferCode {
        if (nameplate < 1 || nameplate > MAX_NAMEPLATE) {
            throw new IllegalArgumentException("the code's number must be 1.." + MAX_NAMEPLATE + ": " + nameplate);
        }
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

    /** A new code at {@code nameplate} with two random words (16 bits, enough against online guessing). */
    public static TransferCode generate(int nameplate, SecureRandom random) {
        return new TransferCode(nameplate, CodeWords.random(random, 2));
    }

    /** Parses {@code 7-pepper-tiger} (case and surrounding blanks ignored). */
    public static TransferCode parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
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
        return new TransferCode(number, t.substring(dash + 1));
    }

    @Override
    public String toString() {
        return nameplate + "-" + words;
    }
}
