/** Audio and video codecs behind tracks: G.711 here; Opus and H.264 to come. */
package org.rtc4j.media.codec;
