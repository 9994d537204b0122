package com.qiledger.command.messages.debt;

/** A disbursement by Pix that was refused ({@code data.pix_refusal}), as sent. */
public record PixRefusal(String reasonEnumerator, String reason) {
}
