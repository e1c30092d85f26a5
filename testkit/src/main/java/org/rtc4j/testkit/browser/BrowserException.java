package org.rtc4j.testkit.browser;

/** The browser failed, did not answer in time, or a page's script threw; the message says which and why. */
public final class BrowserException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BrowserException(String message) {
        super(message);
    }

    public BrowserException(String message, Throwable cause) {
        super(message, cause);
    }
}
