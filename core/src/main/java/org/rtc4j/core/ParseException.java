package org.rtc4j.core;

/**
 * Input that does not follow its format, with the reason. It carries no stack trace: bad input from the
 * network is routine, so raising this one must stay cheap.
 */
public final class ParseException extends Exception {

    private static final long serialVersionUID = 1L;

    public ParseException(String reason) {
        super(reason, null, false, false);
    }
}
