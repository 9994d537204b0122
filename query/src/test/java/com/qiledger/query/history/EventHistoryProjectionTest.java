package com.qiledger.query.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.qiledger.command.messages.bankslip.BankSlipFacts;
import com.qiledger.command.messages.bankslip.BankSlipPaid;
import com.qiledger.command.messages.bankslip.BankSlipRegistered;
import com.qiledger.command.messages.bankslip.BankSlipStatus;
import com.qiledger.command.messages.bankslip.PaymentOrigin;
import com.qiledger.command.messages.bankslip.SlipPayment;
import com.qiledger.command.messages.debt.DebtCanceledPermanently;
import com.qiledger.query.support.Projector;
import com.qiledger.query.support.ReadModelDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.junit.jupiter.api.Test;

/** Every event folded into {@code event_history}, and the histories the queries answer. */
class EventHistoryProjectionTest {

    static final Instant T0 = Instant.parse("2026-08-03T18:30:00Z");

    private final ReadModelDatabase db = ReadModelDatabase.emptied();
    private final EventHistoryProjection projection = new EventHistoryProjection(db.jdbc());
    private final Projector projector = new Projector(projection, db);

    static BankSlipRegistered registered(String key) {
        return new BankSlipRegistered(key, T0, T0.plusSeconds(1), new BankSlipFacts("7", null, null, null, null),
                BankSlipStatus.REGISTERED);
    }

    static BankSlipPaid paid(String key) {
        return new BankSlipPaid(key, T0.plusSeconds(60), T0.plusSeconds(61), new BankSlipFacts("7", null, null, null,
                new SlipPayment(new BigDecimal("10.50"), null, null, null, null, null, null, null,
                        PaymentOrigin.decode("1"), null, null, null, null, null)), BankSlipStatus.PAID);
    }

    @Test
    void anEntitysHistoryIsItsEventsInStreamOrderWithTheirReceiptsAndData() {
        TrackedEventMessage<?> first = projector.fold(10, registered("s1"));
        projector.fold(11, registered("s2"));
        projector.fold(12, paid("s1"), Map.of(EventHistoryProjection.RECEIPT_METADATA_KEY, "r-2"));

        EntityHistory history = projection.handle(new FindEntityHistory("BankSlip", "s1"));
        assertThat(history.entityType()).isEqualTo("BankSlip");
        assertThat(history.key()).isEqualTo("s1");
        assertThat(history.events()).extracting(HistoryEntry::position, HistoryEntry::sequence, HistoryEntry::type,
                        HistoryEntry::receipt)
                .containsExactly(
                        tuple(10L, 0L, "BankSlipRegistered", "receipt-10"),
                        tuple(12L, 1L, "BankSlipPaid", "r-2"));
        HistoryEntry registration = history.events().get(0);
        assertThat(registration.eventId()).isEqualTo(first.getIdentifier());
        assertThat(registration.effectiveAt()).isEqualTo(T0);
        assertThat(registration.recordedAt()).isEqualTo(T0.plusSeconds(1));
        HistoryEntry payment = history.events().get(1);
        assertThat(payment.data().at("/facts/payment/paid_amount").decimalValue()).isEqualByComparingTo("10.50");
        assertThat(payment.data().at("/facts/payment/payment_origin/description").asText()).isEqualTo("branch");
        assertThat(projection.handle(new FindEntityHistory("BankSlip", "unknown")).events()).isEmpty();
        assertThat(projection.handle(new FindEntityHistory("Debt", "s1")).events()).isEmpty();
    }

    @Test
    void theEventsOfOneDeliveryComeInGlobalOrderAcrossEntities() {
        var receipt = Map.of(EventHistoryProjection.RECEIPT_METADATA_KEY, "r-1");
        projector.fold(3, new DebtCanceledPermanently("d1", T0, T0.plusSeconds(2)), receipt);
        projector.fold(2, registered("s1"), receipt);
        projector.fold(4, registered("s2"));

        assertThat(projection.handle(new FindEventsOfReceipt("r-1")))
                .extracting(ReceiptEvent::position, ReceiptEvent::aggregateType, ReceiptEvent::aggregateKey,
                        ReceiptEvent::type)
                .containsExactly(
                        tuple(2L, "BankSlip", "s1", "BankSlipRegistered"),
                        tuple(3L, "Debt", "d1", "DebtCanceledPermanently"));
    }

    @Test
    void anEventHandledAgainIsNotWrittenTwice() {
        TrackedEventMessage<?> message = projector.fold(1, registered("s1"));
        var before = db.rows("event_history");

        projector.handle(message);

        assertThat(db.rows("event_history")).isEqualTo(before).hasSize(1);
    }

    @Test
    void aBatchedReplayAfterTheResetWritesTheSameRows() {
        List<TrackedEventMessage<?>> messages = List.of(
                projector.fold(1, registered("s1")),
                projector.fold(2, paid("s1")),
                projector.fold(3, registered("s2")));
        var folded = db.rows("event_history");

        projector.reset();
        assertThat(db.rows("event_history")).isEmpty();
        projector.foldBatched(() -> messages.forEach(projector::handle));

        assertThat(db.rows("event_history")).isEqualTo(folded).hasSize(3);
    }
}
