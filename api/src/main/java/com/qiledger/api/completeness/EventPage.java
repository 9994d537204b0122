package com.qiledger.api.completeness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One page of {@code GET /notification/events} as the provider answers it (WEBHOOKS.md), read at the edge:
 * unknown fields are ignored, but what the sweep relies on must be there, or the page is {@link Garbage}.
 */
record EventPage(List<ProviderEvent> events, int currentPage, int rowsPerPage) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event of the provider's list with its callbacks (one per URL configured at the provider). */
    record ProviderEvent(String eventKey, String eventType, String status, String originEnumerator,
                         String originKey, List<Callback> callbacks) {
    }

    record Callback(String callbackKey, String callbackStatus) {
    }

    /** An answer the sweep cannot rely on: the sweep stops with this reason. */
    static final class Garbage extends Exception {
        Garbage(String reason) {
            super(reason);
        }
    }

    /** A short or empty page is the last of its window. */
    boolean last() {
        return events.isEmpty() || events.size() < rowsPerPage;
    }

    static EventPage parse(String body, int askedPage) throws Garbage {
        JsonNode root;
        try {
            root = body == null ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw new Garbage("the answer is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new Garbage("the answer is not a JSON object");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isArray()) {
            throw new Garbage("the answer has no data list");
        }
        JsonNode pagination = root.get("pagination");
        if (pagination == null || !pagination.isObject() || !pagination.path("current_page").canConvertToInt()
                || !pagination.path("rows_per_page").canConvertToInt() || !pagination.path("current_page").isNumber()
                || !pagination.path("rows_per_page").isNumber()) {
            throw new Garbage("the answer has no pagination with current_page and rows_per_page");
        }
        int current = pagination.get("current_page").asInt();
        int rows = pagination.get("rows_per_page").asInt();
        if (current != askedPage) {
            throw new Garbage("asked for page " + askedPage + ", the answer is page " + current);
        }
        if (rows < 1) {
            throw new Garbage("rows_per_page is " + rows);
        }
        if (data.size() > rows) {
            throw new Garbage("the page has " + data.size() + " events, more than its rows_per_page " + rows);
        }
        List<ProviderEvent> events = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            JsonNode event = data.get(i);
            String eventKey = text(event, "event_key");
            if (eventKey == null) {
                throw new Garbage("event " + i + " of the page has no event_key");
            }
            JsonNode callbacks = event.get("callbacks");
            if (callbacks == null || !callbacks.isArray()) {
                throw new Garbage("event " + eventKey + " has no callbacks list");
            }
            List<Callback> list = new ArrayList<>(callbacks.size());
            for (JsonNode callback : callbacks) {
                String key = text(callback, "callback_key");
                String status = text(callback, "callback_status");
                if (key == null || status == null) {
                    throw new Garbage("a callback of event " + eventKey + " has no callback_key or callback_status");
                }
                list.add(new Callback(key, status));
            }
            events.add(new ProviderEvent(eventKey, text(event, "event_type"), text(event, "status"),
                    text(event, "origin_enumerator"), text(event, "origin_key"), List.copyOf(list)));
        }
        return new EventPage(List.copyOf(events), current, rows);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() || text.length() > 255 ? null : text;
    }
}
