package com.qiledger.api.finance;

import com.qiledger.api.platform.ApiDocs;
import com.qiledger.api.platform.ApiDocs.OperationDoc;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The journal's part of the OpenAPI description: what {@link JournalController}'s operations do. */
@Configuration(proxyBeanMethods = false)
class JournalApiDocs {

    private static final String FORMATS = " JSON, or CSV with `Accept: text/csv`; amounts exact in JSON, two "
            + "decimals in CSV. Chart of accounts and the event-to-postings table: docs/finance.md.";

    @Bean
    ApiDocs journalDocs() {
        return new ApiDocs(Map.of(), Map.of(
                "GET /api/v1/journal", new OperationDoc("The double-entry journal of a period",
                        "Every transaction whose effective date lies in `from`..`to` (ISO dates, both included), "
                                + "with its event, entity, receipt and postings (debits equal credits); `400` "
                                + "`bad-period`." + FORMATS, null),
                "GET /api/v1/accounts", new OperationDoc("Balances per account as of a day",
                        "Debits, credits and balance (debits minus credits) of the accounts `depth` (default 1) "
                                + "segments below `prefix` (the classes without it) as of the end of `asOf`, each "
                                + "aggregating every address it prefixes; the prefix's own totals at the top. "
                                + "`400` `bad-as-of` / `bad-account` / `bad-depth`; `404` `unknown-account`."
                                + FORMATS, null),
                "GET /api/v1/accounts/{address}/statement", new OperationDoc("The statement of one account",
                        "Opening balance (end of the day before `from`), every posting of `from`..`to` with the "
                                + "balance after it, closing balance. `400` `bad-period` / `bad-account`; `404` "
                                + "`unknown-account`." + FORMATS, null),
                "GET /api/v1/reports/trial-balance", new OperationDoc("The trial balance as of a day",
                        "Total debits and credits of every account as of the end of `asOf` and `balanced` "
                                + "(they are equal, and so are the memorandum accounts'); the classes and their "
                                + "children below. `400` `bad-as-of`." + FORMATS, null)));
    }
}
