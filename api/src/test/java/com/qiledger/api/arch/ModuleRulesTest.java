package com.qiledger.api.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module rules of ARCHITECTURE.md, as tests. */
@AnalyzeClasses(packages = "com.qiledger", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleRulesTest {

    /** Aggregates and handlers: everything of command/ but its published language. */
    private static final DescribedPredicate<JavaClass> COMMAND_INTERNALS = DescribedPredicate.describe(
            "command classes outside the messages package",
            c -> c.getPackageName().startsWith("com.qiledger.command")
                    && !c.getPackageName().startsWith("com.qiledger.command.messages"));

    /** The house rule: every event class carries {@code @Revision} from its first version, so it can be upcast. */
    @ArchTest
    static final ArchRule everyEventClassCarriesItsRevision = com.tngtech.archunit.lang.syntax.ArchRuleDefinition
            .classes().that().implement(com.qiledger.command.messages.common.LedgerEvent.class)
            .and().areNotInterfaces()
            .should().beAnnotatedWith(org.axonframework.serialization.Revision.class)
            .because("events are stored for good; a revision from the first version lets an upcaster tell versions apart");

    @ArchTest
    static final ArchRule commandKnowsNoHttpJsonOrReadModels = noClasses()
            .that().resideInAPackage("com.qiledger.command..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "com.qiledger.api..", "com.qiledger.query..",
                    "com.fasterxml.jackson..", "org.springframework.web..", "org.springframework.http..",
                    "reactor..", "io.netty..", "org.springframework.jdbc..", "java.sql..", "javax.sql..")
            .because("command/ owns the write model and must not know HTTP, the provider's JSON or read models");

    @ArchTest
    static final ArchRule queryUsesOnlyThePublishedLanguageOfCommand = noClasses()
            .that().resideInAPackage("com.qiledger.query..")
            .should().dependOnClassesThat(COMMAND_INTERNALS)
            .because("query/ may read events, never aggregates or command handlers");

    @ArchTest
    static final ArchRule queryNeverWritesToTheEventStore = noClasses()
            .that().resideInAPackage("com.qiledger.query..")
            .should().dependOnClassesThat().resideInAnyPackage("org.axonframework.eventsourcing..",
                    "org.axonframework.commandhandling..", "org.axonframework.modelling..", "com.qiledger.api..")
            .because("query/ must not append events, send commands or depend on the service module");

    @ArchTest
    static final ArchRule messagesAreFreeOfFrameworkBehaviour = noClasses()
            .that().resideInAPackage("com.qiledger.command.messages..")
            .should().dependOnClassesThat().resideInAnyPackage("org.axonframework.eventsourcing..",
                    "org.axonframework.spring..", "org.springframework..")
            .orShould().dependOnClassesThat(COMMAND_INTERNALS)
            .because("the published language is plain records and value types");

    @ArchTest
    static final ArchRule apiHoldsNoAggregate = noClasses()
            .that().resideInAPackage("com.qiledger.api..")
            .should().dependOnClassesThat(COMMAND_INTERNALS)
            .because("api/ sends commands; aggregates are reached only through the command bus");

}
