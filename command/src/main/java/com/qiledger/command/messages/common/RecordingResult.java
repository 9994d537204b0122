package com.qiledger.command.messages.common;

/**
 * What a recording command did. A fact the aggregate already holds is not an error: the provider
 * resends, and the same fact may arrive in bodies that differ byte-wise.
 */
public enum RecordingResult {
    /** At least one new event was appended. */
    RECORDED,
    /** The aggregate already held this fact; nothing was appended. */
    ALREADY_RECORDED
}
