/** Internals of the ICE agent (not exported). */
package org.rtc4j.ice.internal;
