package com.qiledger.api.projections;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.springframework.stereotype.Component;

/**
 * The projections' dead letters: events a projection could not handle, parked per processing group
 * with the rest of their sequence (their aggregate) while everything else keeps flowing. Listing
 * shows what and why; a retry hands every parked sequence back to its projection, in order, and
 * leaves in the queue only what fails again.
 */
@Component
public class DeadLetters {

    private final EventProcessingConfiguration processing;

    public DeadLetters(EventProcessingConfiguration processing) {
        this.processing = processing;
    }

    /**
     * One parked event: its group, its sequence (the aggregate, {@code BankSlip:<key>}) and place in
     * it, the entity it is about ({@code entity}, {@code key}), the event, and the error.
     */
    public record Letter(String processingGroup, String sequence, long sequenceIndex, String entity, String key,
                         String eventId, String eventType, Long position, String causeType, String causeMessage,
                         java.time.Instant enqueuedAt, java.time.Instant lastTouched) {
    }

    /** How many events one group holds parked (0 for a group without a queue). */
    public long size(String group) {
        return queue(group).map(SequencedDeadLetterQueue::size).orElse(0L);
    }

    /** Every dead letter of every processing group, by group, sequence and order within it. */
    public Map<String, List<Letter>> list() {
        Map<String, List<Letter>> all = new LinkedHashMap<>();
        for (String group : groups()) {
            all.put(group, lettersOf(group));
        }
        return all;
    }

    /** One group's dead letters, by sequence and order within it. */
    public List<Letter> lettersOf(String group) {
        List<Letter> letters = new ArrayList<>();
        queue(group).ifPresent(queue -> {
            for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.deadLetters()) {
                long index = 0;
                for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
                    letters.add(letter(group, letter, index++));
                }
            }
        });
        return letters;
    }

    /** Retries every parked sequence of one group; how many sequences now went through. */
    public Optional<Integer> retry(String group) {
        Optional<SequencedDeadLetterProcessor<EventMessage<?>>> processor =
                processing.sequencedDeadLetterProcessor(group);
        if (processor.isEmpty()) {
            return Optional.empty();
        }
        long sequences = queue(group).map(q -> q.amountOfSequences()).orElse(0L);
        int processed = 0;
        for (long i = 0; i < sequences; i++) {
            if (processor.get().processAny()) {
                processed++;
            }
        }
        return Optional.of(processed);
    }

    public List<String> groups() {
        return processing.eventProcessors().keySet().stream()
                .filter(group -> processing.deadLetterQueue(group).isPresent())
                .sorted().toList();
    }

    private Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue(String group) {
        return processing.deadLetterQueue(group);
    }

    private static Letter letter(String group, DeadLetter<? extends EventMessage<?>> letter, long index) {
        EventMessage<?> message = letter.message();
        Long position = message instanceof TrackedEventMessage<?> tracked
                ? tracked.trackingToken().position().stream().boxed().findFirst().orElse(null) : null;
        String sequence = message instanceof org.axonframework.eventhandling.DomainEventMessage<?> domain
                ? domain.getAggregateIdentifier() : message.getIdentifier();
        int colon = sequence.indexOf(':');
        String entity = colon < 0 ? null : sequence.substring(0, colon);
        String key = colon < 0 ? sequence : sequence.substring(colon + 1);
        return new Letter(group, sequence, index, entity, key, message.getIdentifier(),
                message.getPayloadType().getSimpleName(),
                position, letter.cause().map(c -> c.type()).orElse(null),
                letter.cause().map(c -> c.message()).orElse(null), letter.enqueuedAt(), letter.lastTouched());
    }
}
