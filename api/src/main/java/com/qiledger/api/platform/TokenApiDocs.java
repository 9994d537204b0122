package com.qiledger.api.platform;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@link TokenController}'s part of the OpenAPI description. */
@Configuration(proxyBeanMethods = false)
class TokenApiDocs {

    @Bean
    ApiDocs tokenDocs() {
        return new ApiDocs(Map.of(), Map.of(
                "GET /api/v1/me", new ApiDocs.OperationDoc("The roles of the token presented",
                        "`roles` (`auditor`, `finance`, `operator`) and `open` (true when the API needs no token, "
                                + "then every role); how the web console learns what it may show.", null)));
    }
}
