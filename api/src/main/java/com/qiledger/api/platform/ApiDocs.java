package com.qiledger.api.platform;

import io.swagger.v3.oas.models.examples.Example;
import java.util.Map;

/**
 * A feature's part of the OpenAPI description, which {@link OpenApiConfig} writes in: reusable
 * examples ({@code #/components/examples/<name>}) and, by {@code METHOD path} as springdoc lists
 * them, what operations do whose controllers carry no documentation annotations. Each feature
 * declares its own as a bean, so the platform names no feature.
 *
 * @param examples   reusable examples by name, in the order they are listed
 * @param operations summaries, descriptions and examples by {@code METHOD path}
 */
public record ApiDocs(Map<String, Example> examples, Map<String, OperationDoc> operations) {

    /** What one operation does; {@code example} is its {@code 200} answer's, or null. */
    public record OperationDoc(String summary, String description, Object example) {
    }

    /** An example with its summary. */
    public static Example example(String summary, Object value) {
        return new Example().summary(summary).value(value);
    }
}
