package com.qiledger.api.read;

import com.qiledger.api.platform.ApiDocs.OperationDoc;
import com.qiledger.api.platform.ApiDocs;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The read API's part of the OpenAPI description: what {@link ReadController}'s operations do. */
@Configuration(proxyBeanMethods = false)
class ReadApiDocs {

    @Bean
    ApiDocs readDocs() {
        return new ApiDocs(Map.of(), Map.of(
                "GET /api/v1/{entity}/{key}", new OperationDoc("Current state of one entity",
                        "`entity` is one of `bank-slips`, `dda-bank-slips`, `installments`, `conciliation-batches`, "
                                + "`debts`; `404` (problem+json) when the ledger does not know the key. With "
                                + "`asOf=<ISO-8601 instant>`, the state as the ledger knew it at that recorded time.",
                        null),
                "GET /api/v1/{entity}/{key}/history", new OperationDoc("Every event of one entity, in order",
                        "Position, sequence, type, recorded time, effective time (the provider's event time), the "
                                + "event's data and the receipt it came from; `404` when the entity has no event.",
                        null),
                "GET /api/v1/receipts/{receipt}", new OperationDoc("One delivery as received",
                        "The raw body (as text when valid UTF-8, and base64), received time, outcome, reason, "
                                + "attempts counted, the events it caused and its re-drives.", null),
                "GET /api/v1/receipts/{receipt}/body", new OperationDoc("The raw body of one delivery, byte for byte",
                        "As `application/octet-stream`; the original content type is in `X-Original-Content-Type`.",
                        null),
                "GET /api/v1/lookup", new OperationDoc("Find an entity or a delivery by what you have in hand",
                        "`q` is the key of any of the five entities, a receipt id, or a bar code or digitable line "
                                + "(dots and spaces ignored) of a DDA bank slip or an installment's billing. Answers "
                                + "`matches`, each with `entity` (`receipts` for a delivery), `key`, `matched_by` "
                                + "(`key`, `receipt`, `barcode`, `digitable_line`) and the read API's `location`; "
                                + "none is still `200`. `400` `bad-query` for an empty or over-long `q`.",
                        null)));
    }
}
