package io.liftoff.checklist.markdown;

import static io.liftoff.checklist.markdown.ChecklistFixture.itemByKey;
import static io.liftoff.checklist.markdown.ChecklistFixture.itemByText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import io.liftoff.checklist.checklist.Checklist;
import io.liftoff.checklist.checklist.Comparator;
import io.liftoff.checklist.checklist.ContactSpec;
import io.liftoff.checklist.checklist.ContactSpec.ContactType;
import io.liftoff.checklist.checklist.DocLine;
import io.liftoff.checklist.checklist.DocLine.LineType;
import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.ItemKind;
import io.liftoff.checklist.checklist.ItemState;
import io.liftoff.checklist.checklist.MetricTarget;
import io.liftoff.checklist.checklist.Phase;
import io.liftoff.checklist.checklist.Section;
import io.liftoff.checklist.checklist.SignoffSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MarkdownChecklistParserTest {

    private static final MarkdownChecklistParser PARSER = new MarkdownChecklistParser();
    private static Checklist fixture;

    @BeforeAll
    static void parseFixture() {
        fixture = PARSER.parse(ChecklistFixture.markdown());
    }

    private static long count(Predicate<Item> predicate) {
        return fixture.items().stream().filter(predicate).count();
    }

    @Nested
    class Fixture {

        @Test
        void readsTheTitleFromTheSingleLevelOneHeadingAndKeepsItAsText() {
            assertThat(fixture.title()).isEqualTo("Release Checklist v1.1.0");
            assertThat(fixture.lines().get(0)).isEqualTo(DocLine.text("# Release Checklist v1.1.0"));
        }

        @Test
        void keepsOneDocLinePerLineOfTheDocument() {
            assertThat(fixture.lines()).hasSize(337);
            assertThat(fixture.lines().stream().filter(l -> l.type() == LineType.ITEM)).hasSize(217);
            assertThat(fixture.lines().stream().filter(l -> l.type() == LineType.FIELD)).hasSize(8);
        }

        @Test
        void finds205CheckboxItemsOf43AreDone() {
            assertThat(count(Item::checkbox)).isEqualTo(205);
            assertThat(count(i -> i.state() == ItemState.DONE)).isEqualTo(43);
            assertThat(count(i -> i.checkbox() && i.state() == ItemState.OPEN)).isEqualTo(162);
        }

        @Test
        void classifiesEveryItemKind() {
            assertThat(count(i -> i.kind() == ItemKind.CONTACT)).isEqualTo(12);
            assertThat(count(i -> i.kind() == ItemKind.SIGNOFF)).isEqualTo(7);
            assertThat(count(i -> i.kind() == ItemKind.TRIGGER)).isEqualTo(10);
            assertThat(count(i -> i.kind() == ItemKind.METRIC)).isEqualTo(21);
            assertThat(count(i -> i.kind() == ItemKind.TASK)).isEqualTo(167);
        }

        @Test
        void givesEveryMetricATargetAndOnlyMetricsAndTriggersHaveTargets() {
            assertThat(fixture.items()).filteredOn(i -> i.kind() == ItemKind.METRIC)
                    .allSatisfy(i -> assertThat(i.target()).isNotNull());
            assertThat(fixture.items()).filteredOn(i -> i.target() != null)
                    .allSatisfy(i -> assertThat(i.kind()).isIn(ItemKind.METRIC, ItemKind.TRIGGER));
        }

        @Test
        void readsTheHeaderAndFooterFieldsAsMetadataInDocumentOrder() {
            assertThat(fixture.metadata()).containsExactly(
                    entry("Release Version", "1.1.0"),
                    entry("Release Date", "December 21, 2025"),
                    entry("Release Type", "Minor Release (Feature Update)"),
                    entry("Previous Version", "1.0.0"),
                    entry("Release Checklist Prepared By", "ToolBoxAI Solutions Engineering Team"),
                    entry("Date Prepared", "December 21, 2025"),
                    entry("Last Updated", "December 21, 2025"),
                    entry("Checklist Version", "1.0"));
            assertThat(fixture.lines().get(1)).isEqualTo(DocLine.field("Release Version"));
        }
    }

    @Nested
    class Sections {

        @Test
        void makesSectionsOfLevelTwoAndThreeHeadingsKeyedBySlugPath() {
            assertThat(fixture.sections()).hasSize(36);
            assertThat(fixture.sections().subList(0, 2)).extracting(Section::key, Section::level, Section::parentKey)
                    .containsExactly(
                            tuple("pre-release-preparation", 2, null),
                            tuple("pre-release-preparation/code-quality-testing", 3, "pre-release-preparation"));
            assertThat(fixture.sections().get(0).title()).isEqualTo("📋 Pre-Release Preparation");
        }

        @Test
        void derivesThePhaseOfEverySectionFromItsTitles() {
            assertThat(fixture.sections()).filteredOn(s -> s.level() == 2)
                    .extracting(Section::key, Section::phase)
                    .containsExactly(
                            tuple("pre-release-preparation", Phase.PRE_RELEASE),
                            tuple("release-deployment", Phase.DEPLOYMENT),
                            tuple("post-release-monitoring", Phase.POST_RELEASE),
                            tuple("rollback-plan", Phase.ROLLBACK),
                            tuple("success-metrics", Phase.POST_RELEASE),
                            tuple("emergency-contacts", Phase.GENERAL),
                            tuple("release-sign-off", Phase.PRE_RELEASE),
                            tuple("lessons-learned-post-release", Phase.GENERAL),
                            tuple("next-steps", Phase.GENERAL));
        }

        @Test
        void splitsTheSignoffSectionIntoPreAndPostReleasePhases() {
            assertThat(fixture.sections()).filteredOn(s -> "release-sign-off".equals(s.parentKey()))
                    .extracting(Section::key, Section::phase)
                    .containsExactly(
                            tuple("release-sign-off/pre-release-approvals", Phase.PRE_RELEASE),
                            tuple("release-sign-off/post-release-confirmation", Phase.POST_RELEASE));
        }

        @Test
        void readsMonitoringWindowsFromSectionTitles() {
            assertThat(fixture.sections()).filteredOn(s -> s.window() != null)
                    .extracting(Section::key, Section::window)
                    .containsExactly(
                            tuple("post-release-monitoring/immediate-monitoring-first-2-hours", Duration.ofHours(2)),
                            tuple("post-release-monitoring/extended-monitoring-first-24-hours", Duration.ofHours(24)),
                            tuple("post-release-monitoring/long-term-monitoring-first-week", Duration.parse("P7D")));
        }

        @Test
        void readsFirstNDaysAndMinutesWindows() {
            Checklist checklist = PARSER.parse("""
                    ## Monitoring
                    ### Watch (First 3 days)
                    - [ ] a
                    ### Watch closely (first 30 minutes)
                    - [ ] b
                    """);
            assertThat(checklist.sections()).extracting(Section::window)
                    .containsExactly(null, Duration.ofDays(3), Duration.ofMinutes(30));
        }
    }

    @Nested
    class KeysAndNesting {

        @Test
        void keysTopLevelItemsBySectionAndNestedItemsByParent() {
            Item group = itemByKey(fixture, "pre-release-preparation/code-quality-testing/all-tests-passing");
            Item child = itemByKey(fixture,
                    "pre-release-preparation/code-quality-testing/all-tests-passing/python-test-suite");
            assertThat(group.parentId()).isNull();
            assertThat(group.depth()).isZero();
            assertThat(group.text()).isEqualTo("**All Tests Passing**");
            assertThat(group.sectionKey()).isEqualTo("pre-release-preparation/code-quality-testing");
            assertThat(child.parentId()).isEqualTo(group.id());
            assertThat(child.depth()).isEqualTo(1);
            assertThat(child.text()).isEqualTo("Python test suite: 95%+ pass rate (568 fixes applied)");
            assertThat(child.indent()).isEqualTo("  ");
            assertThat(child.marker()).isEqualTo("-");
        }

        @Test
        void nestsNumberedItemsUnderTheBulletAboveAndTheirBulletsUnderThem() {
            Item steps = itemByKey(fixture, "release-deployment/deployment-execution/deployment-steps");
            Item preChecks = itemByText(fixture, "**Pre-deployment checks**");
            Item green = itemByText(fixture, "All systems green in monitoring dashboard");

            assertThat(preChecks.key())
                    .isEqualTo("release-deployment/deployment-execution/deployment-steps/pre-deployment-checks");
            assertThat(preChecks.parentId()).isEqualTo(steps.id());
            assertThat(preChecks.depth()).isEqualTo(1);
            assertThat(preChecks.marker()).isEqualTo("1.");
            assertThat(preChecks.indent()).isEqualTo("  ");
            assertThat(green.parentId()).isEqualTo(preChecks.id());
            assertThat(green.depth()).isEqualTo(2);
            assertThat(green.key()).isEqualTo(preChecks.key() + "/all-systems-green-in-monitoring-dashboard");
        }

        @Test
        void keepsNestingAcrossBlankLines() {
            Item steps = itemByKey(fixture, "release-deployment/deployment-execution/deployment-steps");
            assertThat(fixture.items()).filteredOn(i -> steps.id().equals(i.parentId()))
                    .extracting(Item::text)
                    .containsExactly("**Pre-deployment checks**", "**Backend deployment**",
                            "**Frontend deployment**", "**Service verification**");
        }

        @Test
        void startsNestingAfreshAtEveryHeading() {
            Item firstUnderHeading =
                    itemByKey(fixture, "pre-release-preparation/security-validation/security-audits-completed");
            assertThat(firstUnderHeading.parentId()).isNull();
            assertThat(firstUnderHeading.sectionKey()).isEqualTo("pre-release-preparation/security-validation");
        }

        @Test
        void treatsNumberedItemsAtColumnZeroAsTopLevel() {
            Item actions = itemByKey(fixture, "rollback-plan/rollback-procedures/immediate-actions");
            assertThat(actions.parentId()).isNull();
            assertThat(actions.marker()).isEqualTo("1.");
            assertThat(itemByText(fixture, "Stop new deployments").parentId()).isEqualTo(actions.id());
        }

        @Test
        void usesTheTextBeforeTheColonAsLabel() {
            assertThat(itemByText(fixture, "Release notes created: `RELEASE_NOTES_v1.1.0.md`").key()).isEqualTo(
                    "pre-release-preparation/documentation-communication/release-documentation/release-notes-created");
        }

        @Test
        void givesEveryItemTheFirst12HexCharactersOfTheSha256OfItsKey() throws Exception {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            assertThat(fixture.items()).allSatisfy(item -> assertThat(item.id()).isEqualTo(
                    HexFormat.of().formatHex(sha.digest(item.key().getBytes(StandardCharsets.UTF_8)))
                            .substring(0, 12)));
            assertThat(fixture.items()).extracting(Item::id).doesNotHaveDuplicates();
            assertThat(fixture.items()).extracting(Item::key).doesNotHaveDuplicates();
        }

        @Test
        void givesTheSameKeysAndIdsWhenTheDocumentIsParsedAgain() {
            Checklist again = PARSER.parse(ChecklistFixture.markdown());
            assertThat(again.items()).extracting(Item::key, Item::id)
                    .containsExactlyElementsOf(fixture.items().stream().map(i -> tuple(i.key(), i.id())).toList());
        }

        @Test
        void numbersDuplicateSiblingKeys() {
            Checklist checklist = PARSER.parse("""
                    ## Checks
                    - [ ] Verify: api
                    - [ ] Verify: web
                    - [ ] Verify: db
                    - [ ] Other
                      - [ ] Verify
                    """);
            assertThat(checklist.items()).extracting(Item::key).containsExactly(
                    "checks/verify", "checks/verify-2", "checks/verify-3", "checks/other", "checks/other/verify");
        }

        @Test
        void extendsIdsThatCollideInsideTheDocument() {
            Identifiers identifiers = new Identifiers(1);
            List<String> ids = IntStream.range(0, 40).mapToObj(n -> identifiers.itemId("key-" + n)).toList();
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(ids).anySatisfy(id -> assertThat(id).hasSizeGreaterThan(1));
            assertThat(ids.get(0)).hasSize(1);
        }

        @Test
        void flattensNestingDeeperThanTheLimit() {
            StringBuilder md = new StringBuilder("## Deep\n");
            for (int i = 0; i < 40; i++) {
                md.append(" ".repeat(i * 2)).append("- [ ] level ").append(i).append('\n');
            }
            Checklist checklist = PARSER.parse(md.toString());
            assertThat(checklist.items()).hasSize(40);
            assertThat(checklist.items()).extracting(Item::depth).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(
                    Nesting.MAX_DEPTH));
            assertThat(checklist.items().get(39).depth()).isEqualTo(Nesting.MAX_DEPTH);
        }
    }

    @Nested
    class Kinds {

        @Test
        void makesEveryLeafUnderRollbackTriggersATriggerWithItsTargetIfItStatesOne() {
            List<Item> triggers = fixture.items().stream().filter(i -> i.kind() == ItemKind.TRIGGER).toList();
            assertThat(triggers).hasSize(10);
            assertThat(triggers).filteredOn(i -> i.target() != null).hasSize(7);
            assertThat(triggers).filteredOn(i -> i.target() == null).extracting(Item::text).containsExactly(
                    "Database connectivity issues", "Authentication system failure", "Data corruption detected");
            assertThat(itemByText(fixture, "API error rate >1%").target())
                    .isEqualTo(new MetricTarget("api_error_rate", Comparator.GT, 1, "%", null, null, null, null));
            assertThat(triggers).allSatisfy(t -> assertThat(t.phase()).isEqualTo(Phase.ROLLBACK));
        }

        @Test
        void keepsTheGroupItemsOfTriggersAsTasks() {
            assertThat(itemByText(fixture, "**Critical System Issues**").kind()).isEqualTo(ItemKind.TASK);
            assertThat(itemByText(fixture, "**Performance Degradation**").kind()).isEqualTo(ItemKind.TASK);
        }

        @Test
        void makesBoldRolesInTheSignoffSectionSignoffsWithRealmRoles() {
            assertThat(fixture.items()).filteredOn(i -> i.kind() == ItemKind.SIGNOFF).extracting(Item::signoff)
                    .containsExactly(
                            new SignoffSpec("engineering-manager", "Engineering Manager", Phase.PRE_RELEASE),
                            new SignoffSpec("security-lead", "Security Team Lead", Phase.PRE_RELEASE),
                            new SignoffSpec("qa-lead", "QA Team Lead", Phase.PRE_RELEASE),
                            new SignoffSpec("devops-lead", "DevOps Lead", Phase.PRE_RELEASE),
                            new SignoffSpec("product-manager", "Product Manager", Phase.PRE_RELEASE),
                            new SignoffSpec("release-manager", "Release Manager", Phase.POST_RELEASE),
                            new SignoffSpec("engineering-lead", "Engineering Lead", Phase.POST_RELEASE));
        }

        @Test
        void keepsSignoffAttestationsAsTaskChildren() {
            Item releaseManager = itemByKey(fixture, "release-sign-off/post-release-confirmation/release-manager");
            Item attestation = itemByText(fixture, "All deployment steps completed successfully");
            assertThat(attestation.kind()).isEqualTo(ItemKind.TASK);
            assertThat(attestation.parentId()).isEqualTo(releaseManager.id());
            assertThat(attestation.phase()).isEqualTo(Phase.POST_RELEASE);
        }

        @Test
        void makesPlainListLinesUnderContactsContactItems() {
            List<Item> contacts = fixture.items().stream().filter(i -> i.kind() == ItemKind.CONTACT).toList();
            assertThat(contacts).hasSize(12).allSatisfy(c -> {
                assertThat(c.checkbox()).isFalse();
                assertThat(c.state()).isEqualTo(ItemState.OPEN);
            });
            assertThat(contacts).extracting(c -> c.contact().type()).containsExactly(
                    ContactType.ON_CALL, ContactType.ON_CALL, ContactType.ON_CALL, ContactType.ON_CALL,
                    ContactType.ON_CALL, ContactType.ESCALATION_LEVEL, ContactType.ESCALATION_LEVEL,
                    ContactType.ESCALATION_LEVEL, ContactType.CHANNEL, ContactType.CHANNEL, ContactType.CHANNEL,
                    ContactType.CHANNEL);
        }

        @Test
        void readsOnCallRolesWithTheirPlaceholders() {
            Item primary = itemByKey(fixture, "emergency-contacts/on-call-team/primary-release-manager");
            assertThat(primary.contact()).isEqualTo(new ContactSpec(ContactType.ON_CALL, "Primary Release Manager",
                    "[Name]", "[Phone]", "[Email]", null, null, null, null, false, null));
            assertThat(primary.text()).isEqualTo("**Primary Release Manager**: [Name] - [Phone] - [Email]");
        }

        @Test
        void readsEscalationLevelsAndTheirMembers() {
            Item level1 = itemByKey(fixture, "emergency-contacts/escalation-chain/level-1");
            assertThat(level1.marker()).isEqualTo("1.");
            assertThat(level1.contact().level()).isEqualTo(1);
            assertThat(level1.contact().members()).containsExactly("Release Manager", "Engineering Lead");
            assertThat(itemByKey(fixture, "emergency-contacts/escalation-chain/level-3").contact().members())
                    .containsExactly("CEO", "Executive Team");
        }

        @Test
        void readsCommunicationChannels() {
            assertThat(fixture.items()).filteredOn(i -> i.contact() != null
                    && i.contact().type() == ContactType.CHANNEL)
                    .extracting(i -> i.contact().channel(), i -> i.contact().address(), i -> i.contact().primary(),
                            i -> i.contact().note())
                    .containsExactly(
                            tuple("SLACK", "#release-v1-1-0", true, null),
                            tuple("EMAIL", "releases@toolboxai.com", false, null),
                            tuple("PHONE", null, false, "Emergency escalation only"),
                            tuple("STATUS_PAGE", "status.toolboxai.com", false, null));
        }

        @Test
        void keepsPlainListLinesOutsideContactsAsText() {
            Checklist checklist = PARSER.parse("""
                    ## Notes
                    - just a note
                    - [ ] a task
                    """);
            assertThat(checklist.items()).hasSize(1);
            assertThat(checklist.lines().get(1)).isEqualTo(DocLine.text("- just a note"));
        }

        @Test
        void givesItemsTheirSectionsPhase() {
            assertThat(itemByText(fixture, "Deploy to staging environment").phase()).isEqualTo(Phase.DEPLOYMENT);
            assertThat(itemByText(fixture, "Monitor system performance").phase()).isEqualTo(Phase.GENERAL);
            assertThat(itemByText(fixture, "Error rates: <0.1%").phase()).isEqualTo(Phase.POST_RELEASE);
        }

        @Test
        void readsMetricTargetsOfTheFixture() {
            assertThat(itemByText(fixture, "p95 latency: 142ms (target: <200ms) ✅").target()).isEqualTo(
                    new MetricTarget("latency", Comparator.LT, 200, "ms", "p95", null, null, 142.0));
            assertThat(itemByText(fixture, "Python test suite: 95%+ pass rate (568 fixes applied)").target())
                    .isEqualTo(new MetricTarget("python_test_suite", Comparator.GE, 95, "%", null, null, null, null));
            assertThat(itemByText(fixture, "Code coverage: 75%+ Python, 70%+ TypeScript").kind())
                    .isEqualTo(ItemKind.TASK);
            assertThat(itemByText(fixture, "Success rate: 99.98% ✅").kind()).isEqualTo(ItemKind.TASK);
        }
    }

    @Nested
    class LineForms {

        @Test
        void readsEveryCheckboxMarkAndMarker() {
            Checklist checklist = PARSER.parse("""
                    - [ ] open
                    * [x] done
                    + [X] done too
                    1. [-] not applicable
                    12. [~] not applicable too
                    - [!] blocked
                    - [?] no checkbox
                    """);
            assertThat(checklist.items()).extracting(Item::marker, Item::state, Item::text).containsExactly(
                    tuple("-", ItemState.OPEN, "open"),
                    tuple("*", ItemState.DONE, "done"),
                    tuple("+", ItemState.DONE, "done too"),
                    tuple("1.", ItemState.NOT_APPLICABLE, "not applicable"),
                    tuple("12.", ItemState.NOT_APPLICABLE, "not applicable too"),
                    tuple("-", ItemState.BLOCKED, "blocked"));
        }

        @Test
        void keepsTheTextExactlyAsWritten() {
            Checklist checklist = PARSER.parse("- [ ] **Bold** `code` ✅ trailing  \n");
            assertThat(checklist.items().get(0).text()).isEqualTo("**Bold** `code` ✅ trailing  ");
        }

        @Test
        void ignoresCheckboxesInsideFencedCodeBlocks() {
            Checklist checklist = PARSER.parse("""
                    ## Example
                    ```markdown
                    - [ ] not an item
                    ## not a section
                    ```
                    - [ ] an item
                    """);
            assertThat(checklist.items()).extracting(Item::text).containsExactly("an item");
            assertThat(checklist.sections()).extracting(Section::key).containsExactly("example");
        }

        @Test
        void keysItemsBeforeAnySectionByTheirLabelAlone() {
            Checklist checklist = PARSER.parse("- [ ] Ship it\n");
            assertThat(checklist.title()).isNull();
            assertThat(checklist.items().get(0).key()).isEqualTo("ship-it");
            assertThat(checklist.items().get(0).sectionKey()).isNull();
            assertThat(checklist.items().get(0).phase()).isEqualTo(Phase.GENERAL);
        }

        @Test
        void keepsTheFirstOfRepeatedFieldsAndLeavesTheOthersAsText() {
            Checklist checklist = PARSER.parse("**Owner**: Ann\n**Owner**: Bob\n- [ ] a");
            assertThat(checklist.metadata()).containsExactly(entry("Owner", "Ann"));
            assertThat(checklist.lines()).extracting(DocLine::type)
                    .containsExactly(LineType.FIELD, LineType.TEXT, LineType.ITEM);
        }

        @Test
        void normalisesWindowsLineEndings() {
            Checklist checklist = PARSER.parse("## A\r\n- [x] done\r\n");
            assertThat(checklist.items().get(0).text()).isEqualTo("done");
            assertThat(checklist.lines()).containsExactly(DocLine.text("## A"),
                    DocLine.item(checklist.items().get(0).id()), DocLine.text(""));
        }
    }

    @Test
    void slugsDropEmojiPunctuationAndAmpersandsAndCutLongTitlesAtAWordBoundary() {
        assertThat(Slugs.slug("✅ Code Quality & Testing")).isEqualTo("code-quality-testing");
        assertThat(Slugs.slug("Immediate Monitoring (First 2 Hours)"))
                .isEqualTo("immediate-monitoring-first-2-hours");
        assertThat(Slugs.slug("Déploiement: what's next?")).isEqualTo("deploiement-whats-next");
        String longSlug = Slugs.slug("Monitoring team alerted for post-release watch and every other stakeholder too");
        assertThat(longSlug).isEqualTo("monitoring-team-alerted-for-post-release-watch-and-every");
        assertThat(longSlug.length()).isLessThanOrEqualTo(60);
        assertThat(Slugs.slug("x".repeat(70))).hasSize(60);
        assertThat(Slugs.slug("🚀 ✅")).isEmpty();
    }
}
