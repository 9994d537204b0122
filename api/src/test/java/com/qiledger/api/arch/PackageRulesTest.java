package com.qiledger.api.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The package rules inside each module, next to the module rules of {@link ModuleRulesTest}: one
 * package per feature, no cycle between packages, a shared package that every feature may use and
 * that uses no feature, and any other use of one feature by another listed here with its reason.
 * A new package is a new feature: it may use the shared package and nothing else until it is listed.
 */
@AnalyzeClasses(packages = "com.qiledger", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {

    private static final String API = "com.qiledger.api";
    private static final String COMMAND = "com.qiledger.command";
    private static final String QUERY = "com.qiledger.query";

    // ---- api/: features over a platform ----

    @ArchTest
    static final ArchRule apiFeaturesAreFreeOfCycles = slices().matching(API + ".(*)..")
            .should().beFreeOfCycles()
            .because("no two packages of api/ may use each other, directly or around a circle");

    @ArchTest
    static final ArchRule platformUsesNoFeature = noClasses().that().resideInAPackage(API + ".platform..")
            .should().dependOnClassesThat(resideInAPackage(API + "..")
                    .and(DescribedPredicate.not(resideInAPackage(API + ".platform.."))))
            .because("platform (problems, security, OpenAPI, settings, scheduler) is what features use; a fact a "
                    + "feature owns reaches it through an interface or bean it defines (WebhookScheme, ApiDocs)");

    /**
     * What an api/ feature may use besides itself and {@code platform}. {@code read} answers with the
     * receipts the intake records and derives {@code asOf} states by replaying the projections over
     * shadow tables (the machinery a rebuild uses); the intake hands every delivery to the provider's
     * translators ({@code qitech}); the partner calls on debts go through the one provider client
     * ({@code provider}), which the completeness sweep uses too; the event store links every event it
     * appends with the canonical encoding of {@code audit}, whose verifier checks kept provider
     * signatures with the intake's scheme (issue 21).
     */
    static final Map<String, Set<String>> API_USES = Map.of(
            "completeness", Set.of("provider"),
            "intake", Set.of("qitech"),
            "partner", Set.of("provider"),
            "read", Set.of("intake", "projections"),
            // the event store writes each event's hash-chain link with the audit's canonical encoding
            "store", Set.of("audit"),
            // the verifier checks a kept provider signature with the intake's own scheme
            "audit", Set.of("intake"));

    @ArchTest
    static final ArchRule apiFeaturesUseOnlyPlatformAndWhatIsListed = classes()
            .that().resideInAPackage(API + "..")
            .should(useOnly(API, Set.of("platform"), API_USES))
            .because("features of api/ are independent of each other but for the uses listed in API_USES");

    // ---- command/: five aggregates over their published language ----

    @ArchTest
    static final ArchRule commandPackagesAreFreeOfCycles = slices().matching(COMMAND + ".(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule aggregatesUseOnlyThePublishedLanguage = classes()
            .that().resideInAPackage(COMMAND + "..")
            .should(useOnly(COMMAND, Set.of("messages"), Map.of()))
            .because("each aggregate package stands alone; all of them share command.messages");

    @ArchTest
    static final ArchRule messagesOfOneFamilyUseOnlyTheCommonOnes = classes()
            .that().resideInAPackage(COMMAND + ".messages..")
            .should(useOnly(COMMAND + ".messages", Set.of("common"), Map.of()))
            .because("the messages of one family share only messages.common with another");

    // ---- query/: one package per read model over query.support ----

    @ArchTest
    static final ArchRule queryPackagesAreFreeOfCycles = slices().matching(QUERY + ".(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule readModelsUseOnlySupport = classes()
            .that().resideInAPackage(QUERY + "..")
            .should(useOnly(QUERY, Set.of("support"), Map.of()))
            .because("each read model's package stands alone; all of them share query.support");

    /**
     * Classes in {@code root.<own>..} use classes of {@code root.<other>..} only when {@code other} is
     * shared or listed for {@code own}; nothing uses a class directly in {@code root} (the application).
     * Classes directly in {@code root} may use anything.
     */
    static ArchCondition<JavaClass> useOnly(String root, Set<String> shared, Map<String, Set<String>> listed) {
        String described = "use only their own package under " + root + ", " + String.join(", ", shared)
                + (listed.isEmpty() ? "" : " and " + new TreeMap<>(listed));
        return new ArchCondition<>(described) {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String own = topPackage(root, origin.getPackageName());
                if (own == null) {
                    return;
                }
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    String target = dependency.getTargetClass().getBaseComponentType().getPackageName();
                    if (!target.equals(root) && !target.startsWith(root + ".")) {
                        continue;
                    }
                    String other = topPackage(root, target);
                    boolean allowed = own.equals(other) || shared.contains(other)
                            || listed.getOrDefault(own, Set.of()).contains(other);
                    if (!allowed) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }

    /** {@code intake} for {@code com.qiledger.api.intake.x} under {@code com.qiledger.api}; null for root itself. */
    static String topPackage(String root, String packageName) {
        if (packageName.equals(root) || !packageName.startsWith(root + ".")) {
            return null;
        }
        String rest = packageName.substring(root.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}
