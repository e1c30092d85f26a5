package org.rtc4j.media.container;

import java.io.IOException;

/**
 * A file that is not what its reader expects: a bad signature, a length past the end of its parent, an element
 * larger than the reader's cap, a file cut in the middle of a frame. The message says what and where (the byte
 * offset); readers throw nothing else for bad input.
 */
public class ContainerFormatException extends IOException {

    public ContainerFormatException(String message) {
        super(message);
    }
}
