package com.qiledger.api.partner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.qiledger.command.messages.debt.DisbursementBankAccount;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's bodies read strictly, and the provider's request body rendered once. A
 * {@code change-disbursement-date} body is the seed's request ({@code disbursement_date},
 * {@code disbursement_bank_accounts[]} with its nine fields); each field missing or of the wrong type is
 * a {@link BadField} naming it. What is sent to the provider is those fields, in the seed's order, with
 * the values exactly as the operator wrote them (a {@code bank_code} given as a number stays a number).
 * Whether the date is past and whether the percentages add up are the debt's rules, not checked here.
 */
final class PartnerCallBodies {

    static final List<String> ACCOUNT_FIELDS = List.of("branch_number", "account_digit", "account_number",
            "account_type", "document_number", "bank_code", "ispb_number", "name", "percentage_receivable");
    static final int MAX_REASON = 2000;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private PartnerCallBodies() {
    }

    /** A field of the operator's body that is missing or wrong; {@code field} as the JSON spells it. */
    static final class BadField extends RuntimeException {
        final String field;

        BadField(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    /** What a change of date asks for, and the exact text to send. */
    record DateChange(LocalDate date, List<DisbursementBankAccount> accounts, String providerBody) {
    }

    /** The optional {@code {"reason": "…"}} of a cancellation; null when there is no body or no reason. */
    static String reason(byte[] body) {
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        JsonNode root = object(body);
        JsonNode reason = root.get("reason");
        if (reason == null || reason.isNull()) {
            return null;
        }
        if (!reason.isTextual()) {
            throw new BadField("reason", "reason must be a string");
        }
        if (reason.asText().length() > MAX_REASON) {
            throw new BadField("reason", "reason is limited to " + MAX_REASON + " characters");
        }
        return reason.asText();
    }

    static DateChange dateChange(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BadField("body", "the body must be the seed's request: disbursement_date and "
                    + "disbursement_bank_accounts");
        }
        JsonNode root = object(body);
        JsonNode dateNode = root.get("disbursement_date");
        if (dateNode == null || dateNode.isNull()) {
            throw new BadField("disbursement_date", "disbursement_date is required (YYYY-MM-DD)");
        }
        if (!dateNode.isTextual()) {
            throw new BadField("disbursement_date", "disbursement_date must be a string YYYY-MM-DD");
        }
        LocalDate date;
        try {
            date = LocalDate.parse(dateNode.asText());
        } catch (DateTimeParseException e) {
            throw new BadField("disbursement_date", "disbursement_date must be a date YYYY-MM-DD, not '"
                    + dateNode.asText() + "'");
        }
        JsonNode accountsNode = root.get("disbursement_bank_accounts");
        if (accountsNode == null || accountsNode.isNull()) {
            throw new BadField("disbursement_bank_accounts", "disbursement_bank_accounts is required");
        }
        if (!accountsNode.isArray() || accountsNode.isEmpty()) {
            throw new BadField("disbursement_bank_accounts",
                    "disbursement_bank_accounts must be a list of at least one account");
        }
        ObjectNode sent = JSON.createObjectNode();
        sent.set("disbursement_date", dateNode);
        ArrayNode sentAccounts = sent.putArray("disbursement_bank_accounts");
        List<DisbursementBankAccount> accounts = new ArrayList<>();
        for (int i = 0; i < accountsNode.size(); i++) {
            JsonNode account = accountsNode.get(i);
            String at = "disbursement_bank_accounts[" + i + "]";
            if (!account.isObject()) {
                throw new BadField(at, at + " must be an object");
            }
            ObjectNode sentAccount = sentAccounts.addObject();
            for (String field : ACCOUNT_FIELDS) {
                JsonNode value = account.get(field);
                if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
                    throw new BadField(at + "." + field, at + "." + field + " is required");
                }
                boolean number = field.equals("percentage_receivable");
                boolean numberOrText = field.equals("bank_code") || field.equals("ispb_number");
                if (number ? !value.isNumber() : numberOrText ? !(value.isTextual() || value.isIntegralNumber())
                        : !value.isTextual()) {
                    throw new BadField(at + "." + field, at + "." + field + " must be "
                            + (number ? "a number" : numberOrText ? "a string or an integer" : "a string"));
                }
                sentAccount.set(field, value);
            }
            BigDecimal percentage = account.get("percentage_receivable").decimalValue();
            if (percentage.signum() <= 0 || percentage.compareTo(BigDecimal.valueOf(100)) > 0) {
                throw new BadField(at + ".percentage_receivable", at + ".percentage_receivable must be more than 0 "
                        + "and at most 100");
            }
            accounts.add(new DisbursementBankAccount(text(account, "branch_number"), text(account, "account_digit"),
                    text(account, "account_number"), text(account, "account_type"), text(account, "document_number"),
                    text(account, "bank_code"), text(account, "ispb_number"), text(account, "name"), percentage));
        }
        try {
            return new DateChange(date, accounts, JSON.writeValueAsString(sent));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the provider's body", e);
        }
    }

    private static String text(JsonNode account, String field) {
        return account.get(field).asText();
    }

    private static JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new BadField("body", "the body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new BadField("body", "the body must be a JSON object");
        }
        return root;
    }
}
