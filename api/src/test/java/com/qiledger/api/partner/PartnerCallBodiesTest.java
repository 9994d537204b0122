package com.qiledger.api.partner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The operator's bodies read strictly, each fault naming its field, and the provider's body rendered as given. */
class PartnerCallBodiesTest {

    static final String ACCOUNT = """
            {"branch_number": "1232", "account_digit": "4", "account_number": "412412412",
             "account_type": "checking_account", "document_number": "37197645832", "bank_code": 184,
             "ispb_number": "17298092", "name": "Trabalhador", "percentage_receivable": %s, "extra": true}""";

    static byte[] body(String date, String percentage) {
        return ("{\"disbursement_date\": \"" + date + "\", \"disbursement_bank_accounts\": ["
                + ACCOUNT.formatted(percentage) + "]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theProvidersBodyIsTheSeedsFieldsInItsOrderWithTheValuesAsGiven() {
        PartnerCallBodies.DateChange change = PartnerCallBodies.dateChange(body("2026-03-19", "100.0"));
        assertThat(change.providerBody()).isEqualTo("{\"disbursement_date\":\"2026-03-19\","
                + "\"disbursement_bank_accounts\":[{\"branch_number\":\"1232\",\"account_digit\":\"4\","
                + "\"account_number\":\"412412412\",\"account_type\":\"checking_account\","
                + "\"document_number\":\"37197645832\",\"bank_code\":184,\"ispb_number\":\"17298092\","
                + "\"name\":\"Trabalhador\",\"percentage_receivable\":100.0}]}");
        assertThat(change.accounts()).singleElement().satisfies(a -> {
            assertThat(a.bankCode()).isEqualTo("184");
            assertThat(a.percentageReceivable()).isEqualByComparingTo("100");
            assertThat(a.toString()).doesNotContain("37197645832", "Trabalhador");
        });
    }

    @Test
    void aPercentageGivenAsTextIsAFaultOfThatField() {
        assertThatThrownBy(() -> PartnerCallBodies.dateChange(body("2026-03-19", "\"100\"")))
                .isInstanceOfSatisfying(PartnerCallBodies.BadField.class, bad -> assertThat(bad.field)
                        .isEqualTo("disbursement_bank_accounts[0].percentage_receivable"));
    }

    @Test
    void aReasonIsOptional() {
        assertThat(PartnerCallBodies.reason(null)).isNull();
        assertThat(PartnerCallBodies.reason(" ".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(PartnerCallBodies.reason("{}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(PartnerCallBodies.reason("{\"reason\": \"why\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo("why");
    }
}
