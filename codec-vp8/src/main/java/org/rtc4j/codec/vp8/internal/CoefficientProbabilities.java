package org.rtc4j.codec.vp8.internal;

/**
 * Chooses the frame's coefficient probability updates (RFC 6386 section 13.4): the tokens are
 * first written to a counter that records how often each of the 1056 probabilities' branches is
 * taken, then each probability is replaced by the observed frequency wherever the bits saved on
 * the frame's tokens exceed the cost of sending the update.
 */
final class CoefficientProbabilities {

    /** Index i + 256 in place of probability i, so the counter can tell contexts from fixed probabilities. */
    static final int[] INDEX = new int[Tables.DEFAULT_COEFF_PROBS.length];
    /** Cost in 1/256 bit of a 0 with probability p/256 of being 0 (a 1 costs COST[256 - p]). */
    private static final int[] COST = new int[257];

    static {
        for (int i = 0; i < INDEX.length; i++) {
            INDEX[i] = i + 256;
        }
        for (int p = 1; p <= 256; p++) {
            COST[p] = (int) Math.round(-Math.log(p / 256.0) / Math.log(2) * 256);
        }
        COST[0] = COST[1];
    }

    /** Counts the branches instead of coding them. */
    static final class Counter extends BoolEncoder {
        final int[] counts = new int[INDEX.length * 2];

        void clear() {
            java.util.Arrays.fill(counts, 0);
        }

        @Override
        void write(int prob, int bit) {
            if (prob >= 256) {
                counts[(prob - 256) * 2 + bit]++;
            }
        }
    }

    private CoefficientProbabilities() {}

    /** Writes the update flags (and new values) into the header and applies them to coeff. */
    static void writeUpdates(BoolEncoder e, int[] counts, int[] coeff) {
        int[] upd = Tables.COEFF_UPDATE_PROBS;
        for (int i = 0; i < coeff.length; i++) {
            int n0 = counts[2 * i];
            int n1 = counts[2 * i + 1];
            int old = coeff[i];
            int p = n0 + n1 == 0 ? old : Math.max(1, Math.min(255, (int) ((n0 * 256L + (n0 + n1) / 2) / (n0 + n1))));
            long saved = (long) n0 * (COST[old] - COST[p]) + (long) n1 * (COST[256 - old] - COST[256 - p]);
            long price = 8 * 256 + COST[256 - upd[i]] - COST[upd[i]];
            if (p != old && saved > price) {
                e.write(upd[i], 1);
                e.writeLiteral(p, 8);
                coeff[i] = p;
            } else {
                e.write(upd[i], 0);
            }
        }
    }
}
