package com.qiledger.api.read;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.qiledger.command.messages.common.AggregateIds;
import com.qiledger.query.debt.DebtView;
import com.qiledger.query.debt.FindDebt;
import com.qiledger.query.debt.FindPartnerRequests;
import com.qiledger.query.debt.PartnerRequestView;
import com.qiledger.query.installment.FindInstallmentsOfDebt;
import com.qiledger.query.installment.InstallmentView;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code GET /api/v1/debts/{key}} and its {@code /history}. The answer is the debt's own read model
 * with its installments (another family, linked by the installments' debt key) listed in it, by due
 * date. A debt known only through its installments (no debt webhook yet) is answered with
 * {@code status} null and {@code known_from: "installments"}. The seed's keys are literally
 * {@code <Debt Key>}: clients send them URL-encoded ({@code %3CDebt%20Key%3E}).
 *
 * <p>The partner calls asked for the debt (issue 22) are listed too, each with its state
 * ({@code partner_requests}: id, kind, state, when, attempts), and {@code pending_request} is the latest
 * one still open ({@code pending}, or {@code accepted} and waiting for its webhook), null when none is;
 * {@code GET /api/v1/debts/{key}/requests} has every detail.
 */
@Configuration(proxyBeanMethods = false)
class DebtReads {

    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() {
    };

    @Bean
    EntityReader debtReader(ObjectMapper web) {
        EntityReader debts = EntityReader.of("debts", "Debt", "debt", FindDebt::new, DebtView.class,
                EntityReader.AsOfScope.of(Set.of("debts", "partner-requests"), "debt_view",
                        "debt_failed_reservation_view", "debt_refusal_view", "partner_request_view",
                        "partner_request_attempt_view").and(InstallmentReads.SCOPE));
        return new EntityReader(debts.path(), debts.aggregateType(), debts.noun(), debts.asOfScope(),
                (key, queries) -> {
                    Optional<Object> debt = debts.find(key, queries);
                    List<InstallmentView> installments = queries.query(new FindInstallmentsOfDebt(key),
                            ResponseTypes.multipleInstancesOf(InstallmentView.class)).join();
                    List<PartnerRequestView> calls = queries.query(new FindPartnerRequests(key),
                            ResponseTypes.multipleInstancesOf(PartnerRequestView.class)).join();
                    if (debt.isEmpty() && installments.isEmpty()) {
                        return Optional.empty();
                    }
                    Map<String, Object> answer = new LinkedHashMap<>();
                    if (debt.isPresent()) {
                        answer.putAll(web.convertValue(debt.get(), FIELDS));
                        answer.put("known_from", "debt");
                    } else {
                        answer.put("debt_key", key);
                        answer.put("status", null);
                        answer.put("known_from", "installments");
                    }
                    answer.put("installments", installments);
                    answer.put("partner_requests", calls.stream().map(DebtReads::summary).toList());
                    answer.put("pending_request", calls.stream()
                            .filter(c -> "pending".equals(c.state()) || "accepted".equals(c.state()))
                            .reduce((first, second) -> second)
                            .map(DebtReads::summary)
                            .orElse(null));
                    return Optional.of(answer);
                },
                (key, jdbc) -> jdbc.sql("SELECT installment_key FROM installment_debt_view WHERE debt_key = :key "
                                + "ORDER BY installment_key")
                        .param("key", key)
                        .query(String.class)
                        .list()
                        .stream()
                        .map(installment -> AggregateIds.of("Installment", installment))
                        .toList());
    }

    /** A partner call as the debt lists it; the full call is at {@code /requests/{id}}. */
    private static Map<String, Object> summary(PartnerRequestView call) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("request_id", call.requestId());
        summary.put("kind", call.kind());
        summary.put("state", call.state());
        summary.put("requested_by", call.requestedBy());
        summary.put("requested_at", call.requestedAt());
        summary.put("attempts", call.attempts());
        summary.put("answer_status", call.answerStatus());
        summary.put("confirming_receipt", call.confirmingReceipt());
        return summary;
    }
}
