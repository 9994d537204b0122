package com.qiledger.command.messages.bankslip;

/** The institution where the slip was paid ({@code paid_in}). */
public record PaidIn(String name, String codeNumber, String ispb) {
}
