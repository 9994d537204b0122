package com.qiledger.api.qitech;

import static com.qiledger.api.qitech.ProviderJson.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link ProviderJson#at} and {@link ProviderJson#objects}: the one way a reason says where it happened. */
class ProviderJsonTest {

    static JsonNode json(String text) {
        return ProviderJson.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aReasonReadUnderAPlaceNamesItFirst() {
        JsonNode data = json("{\"due_date\": \"soon\"}");
        assertThatThrownBy(() -> at("data.installments[1]", () -> ProviderJson.date(data, "due_date")))
                .isInstanceOf(ProviderDataException.class)
                .hasMessage("data.installments[1]: 'due_date' is not a date: 'soon'");
        assertThat(at("data", () -> ProviderJson.text(data, "due_date"))).isEqualTo("soon");
    }

    @Test
    void nestedPlacesJoinIntoOnePath() {
        JsonNode origin = json("{\"bank_code\": {}}");
        assertThatThrownBy(() -> at("data", () -> at("ted_refusal", () -> at("origin",
                () -> ProviderJson.text(origin, "bank_code")))))
                .hasMessage("data.ted_refusal.origin: 'bank_code' should be a single value, not OBJECT");
        assertThatThrownBy(() -> at("data", () -> at("events[0]", () -> {
            throw new ProviderDataException("required field 'amount' is missing");
        }))).hasMessage("data.events[0]: required field 'amount' is missing");
    }

    @Test
    void otherFailuresPassThroughUnlocated() {
        IllegalStateException bug = new IllegalStateException("not a data error");
        assertThatThrownBy(() -> at("data", () -> {
            throw bug;
        })).isSameAs(bug);
    }

    @Test
    void listsOfObjectsLocateEachElement() {
        JsonNode data = json("{\"fine\": [{\"fine_amount\": 1}, {\"fine_amount\": \"ten\"}], \"interest\": {},"
                + " \"discounts\": [{}, 7], \"calculations\": [{}, {\"a\": 1}]}");
        assertThat(ProviderJson.objects(data, "calculations", JsonNode::size)).containsExactly(0, 1);
        assertThat(ProviderJson.objects(data, "absent", f -> f)).isNull();
        assertThatThrownBy(() -> at("data", () -> ProviderJson.objects(data, "fine",
                f -> ProviderJson.decimal(f, "fine_amount"))))
                .hasMessage("data.fine[1]: 'fine_amount' is not a number: 'ten'");
        assertThatThrownBy(() -> at("data", () -> ProviderJson.objects(data, "interest", f -> f)))
                .hasMessage("data: 'interest' should be an array, not OBJECT");
        assertThatThrownBy(() -> at("data", () -> ProviderJson.objects(data, "discounts", f -> f)))
                .hasMessage("data.discounts[1]: should be an object, not NUMBER");
    }

    @Test
    void theThreeDateTimeSpellingsAreToldApartByTheirTextNotByAFailedParse() {
        assertThat(ProviderJson.hasOffset("2021-10-22T20:30:23.459Z")).isTrue();
        assertThat(ProviderJson.hasOffset("2021-10-22T20:30:23-03:00")).isTrue();
        assertThat(ProviderJson.hasOffset("2021-10-22 20:30:23+0300")).isTrue();
        assertThat(ProviderJson.hasOffset("2020-11-11 21:33:03")).isFalse();
        assertThat(ProviderJson.hasOffset("2022-09-27T07:03:35.123456")).isFalse();
        assertThat(ProviderJson.hasOffset("2022-09-27")).isFalse();
        assertThat(ProviderJson.instant("t", "2020-11-11 21:33:03")).isEqualTo("2020-11-12T00:33:03Z");
        assertThat(ProviderJson.instant("t", "2021-10-22T20:30:23-03:00")).isEqualTo("2021-10-22T23:30:23Z");
        assertThatThrownBy(() -> ProviderJson.instant("t", "2022-09-27")).hasMessageContaining("is not a date-time");
        assertThatThrownBy(() -> ProviderJson.instant("t", "2022-09-27T25:00:00Z")).hasMessageContaining("is not a date-time");
    }
}
