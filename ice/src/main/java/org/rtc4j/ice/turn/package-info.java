/** The TURN client (RFC 8656): allocations, permissions, channels, over UDP and TCP. */
package org.rtc4j.ice.turn;
