package org.rtc4j.transfer;

/**
 * One file of a transfer as both ends see it.
 *
 * @param index its number in the transfer
 * @param path its relative path, '/'-separated (checked safe on the receiving end)
 * @param size bytes
 */
public record TransferFile(int index, String path, long size) {
}
