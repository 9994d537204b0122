package com.qiledger.query.debt;

import com.qiledger.command.messages.debt.PixRefusal;
import com.qiledger.command.messages.debt.TedRefusal;
import java.time.Instant;

/**
 * One refused disbursement that canceled the debt: the reason in short, and the full details of the
 * TED or the Pix (the TED's origin and destination carry names and CPF/CNPJ, for auditors).
 */
public record RefusalView(
        long position,
        Instant occurredAt,
        Instant recordedAt,
        String cancelReason,
        String reasonEnumerator,
        String reason,
        TedRefusal tedRefusal,
        PixRefusal pixRefusal) {
}
