/** VP8 as RFC 6386 specifies it: a decoder to I420 frames and a real-time encoder. */
package org.rtc4j.codec.vp8;
