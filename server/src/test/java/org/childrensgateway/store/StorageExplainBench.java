package org.childrensgateway.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.context.FhirContext;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import liquibase.integration.spring.SpringLiquibase;
import org.childrensgateway.search.IncludeSpec;
import org.childrensgateway.search.ParsedSearch;
import org.childrensgateway.search.SearchIndexer;
import org.childrensgateway.search.SearchParamRegistry;
import org.childrensgateway.search.SearchRequestParser;
import org.childrensgateway.search.TextNormaliser;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.util.FileSystemUtils;

/**
 * Storage benchmark, not part of the normal build; run it with {@code mvn -B -Pbench -pl server -am verify
 * -Dtest=StorageExplainBench -Dsurefire.failIfNoSpecifiedTests=false} (docs/storage.md).
 *
 * <p>Starts an embedded PostgreSQL under {@code target/bench-postgres}, applies the real Liquibase
 * changelog, bulk-loads {@code bench.children} (default 125,000) synthetic children with set-based
 * SQL, eight resources each (Patient, RelatedPerson, Consent, 4 Observations, CarePlan = 1,000,000
 * resources), with index rows exactly as {@link SearchIndexer} produces them (checked on a sample),
 * then runs {@code EXPLAIN (ANALYZE, BUFFERS)} on the SQL the gateway really issues for every search
 * parameter: built through {@link SearchRequestParser} and {@link SearchSqlBuilder}, and the page,
 * include, history and search-session statements of {@link PostgresResourceStore} and
 * {@link SearchSessionStore}. The report goes to {@code target/bench/storage-explain.md}.
 *
 * <p>All data is synthetic: NHS numbers come from the 999 test range, names and postcodes from small
 * lists. {@code -Dbench.reuse=true} keeps a loaded database and only applies new changesets, which is
 * how an index added later is measured against data already in place.
 */
@Tag("bench")
class StorageExplainBench {

    private static final int CHILDREN = Integer.getInteger("bench.children", 125_000);
    private static final boolean REUSE = Boolean.getBoolean("bench.reuse");
    private static final String FORCE_CUSTOM_PLAN = "set plan_cache_mode = force_custom_plan";
    private static final Path DATA = Path.of(System.getProperty("bench.data-dir", "target/bench-postgres"));
    private static final Path REPORT = Path.of(System.getProperty("bench.report", "target/bench/storage-explain.md"));
    private static final int PAGE = 20;
    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    private static final Pattern ACCESS = Pattern.compile(
            "(Seq Scan on \\w+|Index Only Scan(?: Backward)? using \\w+|Index Scan(?: Backward)? using \\w+|Bitmap Index Scan on \\w+)");
    private static final Pattern EXEC = Pattern.compile("Execution Time: ([0-9.]+) ms");

    private static final List<String> GIRLS = List.of("Amelia", "Olivia", "Isla", "Ava", "Mia", "Freya", "Lily", "Ivy",
            "Florence", "Willow", "Evie", "Sophia", "Grace", "Poppy", "Elsie", "Isabella", "Ella", "Rosie", "Sienna", "Daisy",
            "Siân", "Cerys", "Ffion", "Elin", "Nia", "Seren", "Mali", "Efa", "Catrin", "Gwen", "Megan", "Alys", "Lowri",
            "Anwen", "Aisha", "Zara", "Maryam", "Fatima", "Zoë", "Chloé");
    private static final List<String> BOYS = List.of("Oliver", "George", "Noah", "Arthur", "Muhammad", "Leo", "Harry",
            "Oscar", "Archie", "Henry", "Theodore", "Jack", "Charlie", "Freddie", "Alfie", "Thomas", "Jacob", "Finley", "Teddy",
            "Louie", "Osian", "Rhys", "Dylan", "Dafydd", "Llŷr", "Gruffydd", "Iolo", "Tomos", "Aled", "Macsen", "Elis", "Cai",
            "Ifan", "Harri", "Yusuf", "Ibrahim", "Adam", "Zain", "Mateusz", "José");
    /** Most common first: family names are drawn with a skew, so Jones is common and Ó Briain rare. */
    private static final List<String> FAMILIES = List.of("Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts",
            "Smith", "Hughes", "Lewis", "Morgan", "Griffiths", "Edwards", "Brown", "Taylor", "James", "Rees", "Jenkins", "Owen",
            "Price", "Phillips", "Wilson", "Johnson", "Walker", "Wright", "Robinson", "Thompson", "White", "Hall", "Green",
            "Wood", "Harris", "Martin", "Jackson", "Clarke", "Khan", "Ali", "Ahmed", "Patel", "Begum", "Hussain", "Singh",
            "Kaur", "Nowak", "Kowalski", "Lloyd", "Parry", "Powell", "Pugh", "Bowen", "Howells", "Watkins", "Rowlands",
            "Pritchard", "Prosser", "Vaughan", "Probert", "Meredith", "Gwynne", "Llywelyn", "ap Rhys", "ap Gruffydd",
            "Ó Briain", "Müller", "Fernández", "Nguyen", "Okafor", "Adeyemi", "Mensah", "Chen", "Wang", "Kim", "Silva",
            "Santos", "Novák", "Popescu", "Kelly", "Murphy", "O'Brien", "Gwilym", "Cadwaladr");
    private static final List<String[]> AREAS = List.of(new String[] {"CF", "Cardiff"}, new String[] {"NP", "Newport"},
            new String[] {"SA", "Swansea"}, new String[] {"LL", "Llandudno"}, new String[] {"SY", "Aberystwyth"},
            new String[] {"LD", "Llandrindod Wells"}, new String[] {"CH", "Chester"}, new String[] {"B", "Birmingham"},
            new String[] {"BS", "Bristol"}, new String[] {"M", "Manchester"}, new String[] {"L", "Liverpool"},
            new String[] {"LS", "Leeds"}, new String[] {"S", "Sheffield"}, new String[] {"NE", "Newcastle upon Tyne"},
            new String[] {"BN", "Brighton"}, new String[] {"OX", "Oxford"});
    private static final List<String> STREETS = List.of("Heol y Frenhines", "Ffordd yr Eglwys", "High Street",
            "Station Road", "Church Lane", "Park Avenue", "Stryd Fawr", "Victoria Road", "Heol Isaf", "Mill Lane");

    private final StringBuilder report = new StringBuilder();
    private final List<String> summary = new ArrayList<>();
    private JdbcClient jdbc;
    private JdbcTemplate template;
    private PostgresResourceStore store;
    private SearchRequestParser parser;

    @Test
    void explainEverySearchParameter() throws Exception {
        if (!REUSE) {
            FileSystemUtils.deleteRecursively(DATA);
        }
        Files.createDirectories(DATA);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(DATA)
                .setCleanDataDirectory(false)
                .setServerConfig("timezone", "UTC")
                .setServerConfig("shared_buffers", "512MB")
                .setServerConfig("maintenance_work_mem", "512MB")
                .setServerConfig("max_wal_size", "8GB")
                .setServerConfig("checkpoint_timeout", "30min")
                .setServerConfig("track_io_timing", "on")
                // Load speed only (a benchmark database, thrown away): no effect on query plans.
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                // The bench vacuums and analyses explicitly; autovacuum would compete for the two cores.
                .setServerConfig("autovacuum", "off");
        try (EmbeddedPostgres pg = builder.start()) {
            SingleConnectionDataSource ds = new SingleConnectionDataSource(
                    pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", true);
            ds.setAutoCommit(true);
            jdbc = JdbcClient.create(ds);
            template = new JdbcTemplate(ds);
            store = new PostgresResourceStore(jdbc, template);
            SearchParamRegistry registry = new SearchParamRegistry();
            parser = new SearchRequestParser(registry);

            line("# Storage EXPLAIN benchmark");
            line("");
            line("PostgreSQL: " + jdbc.sql("select version()").query(String.class).single());
            line("");
            long t = System.nanoTime();
            migrate(ds);
            line("Liquibase update: " + ms(t) + " ms (changesets: "
                    + jdbc.sql("select string_agg(id, ', ' order by orderexecuted) from databasechangelog").query(String.class).single() + ")");
            ds.getConnection().setAutoCommit(true);
            // What the gateway's search statements get (PostgresResourceStore.planned); see planCache().
            exec(FORCE_CUSTOM_PLAN);

            long existing = jdbc.sql("select count(*) from resource").query(Long.class).single();
            if (existing < CHILDREN * 8L) {
                load();
            } else {
                line("Reused the loaded database (" + existing + " resources); ANALYZE only.");
                exec("analyze");
            }
            sizes();
            verifySample(registry, 1, 2, 3, CHILDREN / 2, CHILDREN);
            explainAll();
            ds.destroy();
        } finally {
            Files.createDirectories(REPORT.getParent());
            Files.writeString(REPORT, report.toString());
            System.out.println("Bench report: " + REPORT.toAbsolutePath());
        }
    }

    private static void migrate(SingleConnectionDataSource ds) throws Exception {
        SpringLiquibase liquibase = new SpringLiquibase();
        liquibase.setDataSource(ds);
        liquibase.setChangeLog("classpath:db/changelog/db.changelog-master.yaml");
        liquibase.setResourceLoader(new DefaultResourceLoader());
        liquibase.afterPropertiesSet();
    }

    // ---------------------------------------------------------------- load

    private void load() {
        int n = CHILDREN;
        line("");
        line("## Load: " + n + " children x 8 resources = " + (n * 8L) + " resources");
        line("");
        long all = System.nanoTime();
        // FK triggers off for the bulk load (rows are consistent by construction); secondary indexes are
        // dropped and rebuilt from their own definitions afterwards, which is faster than maintaining them.
        exec("set session_replication_role = replica");
        List<String[]> indexes = jdbc.sql("""
                select indexname, indexdef from pg_indexes
                where schemaname = 'public'
                  and tablename in ('resource', 'resource_history', 'sp_token', 'sp_string', 'sp_date', 'sp_reference')
                  and indexname not in (select conname from pg_constraint)""")
                .query((rs, i) -> new String[] {rs.getString(1), rs.getString(2)}).list();
        indexes.forEach(ix -> exec("drop index " + ix[0]));

        step("helpers", () -> {
            exec("""
                    create or replace function pg_temp.u(i bigint, salt int) returns float8 language sql immutable
                    as $$ select (hashint8extended(i, salt) & 4294967295)::float8 / 4294967296.0 $$""");
            exec("""
                    create or replace function pg_temp.nhs_check(base bigint) returns int language sql immutable as $$
                      select case when r = 11 then 0 else r end from (
                        select 11 - (sum(substr(base::text, k, 1)::int * (11 - k)) % 11)::int as r
                        from generate_series(1, 9) k) s $$""");
            exec("create or replace function pg_temp.inst(t timestamptz) returns text language sql immutable"
                    + " as $$ select to_char(t at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') $$");
            exec("create or replace function pg_temp.dt(t timestamptz) returns text language sql immutable"
                    + " as $$ select to_char(t at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') $$");
            exec("create or replace function pg_temp.rid(k int, i int) returns text language sql immutable"
                    + " as $$ select md5(k::text || '/' || i::text)::uuid::text $$");
            exec("drop table if exists bench_name, bench_area, bench_street, bench_code, bench_child, bench_obs");
            exec("create unlogged table bench_name (kind text, idx int, display text, norm text)");
            insertNames("F", GIRLS);
            insertNames("M", BOYS);
            insertNames("S", FAMILIES);
            exec("create unlogged table bench_area (idx int, area text, city text)");
            for (int i = 0; i < AREAS.size(); i++) {
                jdbc.sql("insert into bench_area values (?, ?, ?)").params(i, AREAS.get(i)[0], AREAS.get(i)[1]).update();
            }
            exec("create unlogged table bench_street (idx int, street text)");
            for (int i = 0; i < STREETS.size(); i++) {
                jdbc.sql("insert into bench_street values (?, ?)").params(i, STREETS.get(i)).update();
            }
            // Observation slots 1-3 are growth measurements; slot 4 is one of eight other observations.
            exec("create unlogged table bench_code (slot int, variant int, category text, codes jsonb, unit text)");
            exec("""
                    insert into bench_code values
                    (1, 0, 'vital-signs', '[{"system":"http://loinc.org","code":"29463-7","display":"Body weight"},
                                           {"system":"http://snomed.info/sct","code":"27113001","display":"Body weight"}]', 'kg'),
                    (2, 0, 'vital-signs', '[{"system":"http://loinc.org","code":"8302-2","display":"Body height"},
                                           {"system":"http://snomed.info/sct","code":"50373000","display":"Body height measure"}]', 'cm'),
                    (3, 0, 'vital-signs', '[{"system":"http://loinc.org","code":"9843-4","display":"Head Occipital-frontal circumference"},
                                           {"system":"http://snomed.info/sct","code":"363812007","display":"Head circumference"}]', 'cm'),
                    (4, 0, 'survey', '[{"system":"https://fhir.childrens-gateway.uk/CodeSystem/asq3","code":"COM"}]', null),
                    (4, 1, 'survey', '[{"system":"https://fhir.childrens-gateway.uk/CodeSystem/asq3","code":"GM"}]', null),
                    (4, 2, 'survey', '[{"system":"https://fhir.childrens-gateway.uk/CodeSystem/asq3","code":"FM"}]', null),
                    (4, 3, 'survey', '[{"system":"https://fhir.childrens-gateway.uk/CodeSystem/asq3","code":"PS"}]', null),
                    (4, 4, 'survey', '[{"system":"https://fhir.childrens-gateway.uk/CodeSystem/asq3","code":"PSOC"}]', null),
                    (4, 5, 'survey', '[{"system":"https://fhir.childrens-gateway.uk/CodeSystem/eyfs-prime-area","code":"CL"}]', null),
                    (4, 6, 'vital-signs', '[{"system":"http://loinc.org","code":"39156-5","display":"Body mass index (BMI) [Ratio]"}]', 'kg/m2'),
                    (4, 7, 'vital-signs', '[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]', '/min')""");
        });

        step("bench_child (attributes of each child)", () -> exec(("""
                create unlogged table bench_child as
                with nhs as (
                  select row_number() over (order by b) as i, b::text || pg_temp.nhs_check(b)::text as nhs
                  from generate_series(999000000::bigint, 999000000 + %1$d * 12 / 10 + 100) b
                  where pg_temp.nhs_check(b) < 10),
                base as (
                  select n.i::int as i, n.nhs,
                    case when pg_temp.u(n.i, 1) < 0.002 then 'unknown' when pg_temp.u(n.i, 1) < 0.5 then 'female' else 'male' end as gender,
                    pg_temp.u(n.i, 2) as ug1, pg_temp.u(n.i, 3) as ug2, pg_temp.u(n.i, 4) as ufam,
                    date '2025-09-01' - (pg_temp.u(n.i, 5) * 6570)::int as bd,
                    floor(%2$d * power(pg_temp.u(n.i, 6), 1.5))::int as area_idx,
                    1 + floor(pg_temp.u(n.i, 7) * 40)::int as district, floor(pg_temp.u(n.i, 8) * 10)::int as sector,
                    floor(pg_temp.u(n.i, 9) * 20)::int as l1, floor(pg_temp.u(n.i, 10) * 20)::int as l2,
                    floor(pg_temp.u(n.i, 11) * 20)::int as ol1,
                    date_trunc('milliseconds', timestamptz '2022-09-01 00:00:00+00'
                      + make_interval(secs => (n.i - 1)::float8 / %1$d * 1095 * 86400)) as created,
                    n.i %% 3 as feed
                  from nhs n where n.i <= %1$d)
                select b.i, b.nhs, b.gender, b.bd, b.created, b.feed,
                  g1.display as g1_disp, g1.norm as g1_norm, g2.display as g2_disp, g2.norm as g2_norm,
                  f.display as fam_disp, f.norm as fam_norm, cg.display as carer_given,
                  a.area || b.district || ' ' || b.sector || substr('ABDEFGHJLNPQRSTUWXYZ', b.l1 + 1, 1)
                    || substr('ABDEFGHJLNPQRSTUWXYZ', b.l2 + 1, 1) as pc_disp,
                  a.area || b.district || ' ' || b.sector || substr('ABDEFGHJLNPQRSTUWXYZ', b.ol1 + 1, 1)
                    || substr('ABDEFGHJLNPQRSTUWXYZ', b.l2 + 1, 1) as old_pc_disp,
                  a.city, (1 + b.i %% 150) || ' ' || s.street as line,
                  case b.feed when 0 then 'https://fhir.childrens-gateway.uk/Id/rio/RX1/client'
                              when 1 then 'https://fhir.childrens-gateway.uk/Id/systmone/W97041/patient'
                              else 'https://fhir.childrens-gateway.uk/Id/estart/CC042/child' end as local_sys,
                  case b.feed when 0 then 'RX1' || lpad(b.i::text, 7, '0')
                              when 1 then (5000000000 + b.i * 7)::text
                              else 'C-' || b.i end as local_val,
                  case b.feed when 0 then 'https://fhir.childrens-gateway.uk/Id/rio/RX1/carer'
                              when 1 then 'https://fhir.childrens-gateway.uk/Id/systmone/W97041/relationship'
                              else 'https://fhir.childrens-gateway.uk/Id/estart/CC042/carer' end as rp_sys,
                  case when b.i %% 10 = 3 then 2 else 1 end as pat_version,
                  case when b.i %% 10 = 3 then least(b.created + make_interval(days => 30 + (pg_temp.u(b.i, 12) * 365)::int),
                       timestamptz '2025-08-31 23:00:00+00') else b.created end as pat_updated,
                  case when pg_temp.u(b.i, 13) < 0.8 then 'MTH' else 'FTH' end as carer_rel,
                  case when pg_temp.u(b.i, 14) < 0.85 then 'active' when pg_temp.u(b.i, 14) < 0.95 then 'inactive' else 'rejected' end as consent_status,
                  (array['HV','MW','GP','SALT','SN','CC','EY'])[1 + floor(pg_temp.u(b.i, 15) * 7)::int] as consent_scope,
                  case when pg_temp.u(b.i, 16) < 0.6 then 'active' when pg_temp.u(b.i, 16) < 0.95 then 'completed' else 'revoked' end as cp_status,
                  case when pg_temp.u(b.i, 17) < 0.7 then 'universal' when pg_temp.u(b.i, 17) < 0.95 then 'universal-plus'
                       else 'universal-partnership-plus' end as cp_level,
                  b.bd + (pg_temp.u(b.i, 18) * (date '2025-09-01' - b.bd))::int as cp_start
                from base b
                join bench_name g1 on g1.kind = case when b.gender = 'male' then 'M' else 'F' end
                  and g1.idx = floor(b.ug1 * %3$d)::int
                left join bench_name g2 on b.ug2 < 0.3 and g2.kind = case when b.gender = 'male' then 'M' else 'F' end
                  and g2.idx = floor(b.ug2 / 0.3 * %3$d)::int
                join bench_name f on f.kind = 'S' and f.idx = floor(%4$d * power(b.ufam, 1.8))::int
                join bench_name cg on cg.kind = case when pg_temp.u(b.i, 13) < 0.8 then 'F' else 'M' end
                  and cg.idx = floor(pg_temp.u(b.i, 19) * %3$d)::int
                join bench_area a on a.idx = b.area_idx
                join bench_street s on s.idx = b.i %% %5$d
                """).formatted(n, AREAS.size(), GIRLS.size(), FAMILIES.size(), STREETS.size())));
        exec("alter table bench_child add column cp_end date");
        exec("update bench_child set cp_end = least(cp_start + 365, date '2025-08-31') where cp_status <> 'active'");
        step("bench_obs (4 observations per child)", () -> exec("""
                create unlogged table bench_obs as
                select c.i, o.slot, (c.i - 1) * 8 + 3 + o.slot as pid, pg_temp.rid(2 + o.slot, c.i) as id,
                  case when o.slot = 4 then floor(pg_temp.u(c.i, 40) * 8)::int else 0 end as variant,
                  date_trunc('second', (c.bd + (pg_temp.u(c.i, 20 + o.slot) * (date '2025-09-01' - c.bd))::int)::timestamp
                    at time zone 'UTC' + make_interval(secs => 28800 + pg_temp.u(c.i, 30 + o.slot) * 36000)) as eff,
                  pg_temp.u(c.i, 50 + o.slot) as uval
                from bench_child c cross join generate_series(1, 4) o(slot)"""));
        exec("""
                alter table bench_obs add column updated timestamptz""");
        exec("""
                update bench_obs o set updated = date_trunc('milliseconds', greatest(c.created + make_interval(secs => 2 + o.slot),
                  least(o.eff + interval '1 day', timestamptz '2025-08-31 23:30:00+00')))
                from bench_child c where c.i = o.i""");

        String patientJson = """
                jsonb_strip_nulls(jsonb_build_object('resourceType', 'Patient', 'id', pg_temp.rid(0, c.i),
                  'meta', jsonb_build_object('versionId', %1$s::text, 'lastUpdated', pg_temp.inst(%2$s),
                     'profile', jsonb_build_array('https://fhir.childrens-gateway.uk/StructureDefinition/ChildPatient')),
                  'identifier', jsonb_build_array(jsonb_build_object('system', 'https://fhir.nhs.uk/Id/nhs-number', 'value', c.nhs),
                     jsonb_build_object('system', c.local_sys, 'value', c.local_val)),
                  'name', jsonb_build_array(jsonb_build_object('use', 'official', 'family', c.fam_disp, 'given',
                     case when c.g2_disp is null then jsonb_build_array(c.g1_disp) else jsonb_build_array(c.g1_disp, c.g2_disp) end)),
                  'gender', c.gender, 'birthDate', to_char(c.bd, 'YYYY-MM-DD'),
                  'address', jsonb_build_array(jsonb_build_object('use', 'home', 'line', jsonb_build_array(c.line),
                     'city', c.city, 'postalCode', %3$s, 'country', 'GB'))))""";
        String meta = "jsonb_build_object('versionId', '1', 'lastUpdated', pg_temp.inst(%s))";
        String subject = "jsonb_build_object('reference', 'Patient/' || pg_temp.rid(0, c.i))";
        step("resource (1 statement per resource type)", () -> {
            exec("insert into resource (pid, res_type, res_id, version_id, last_updated, deleted, content) overriding system value"
                    + " select (c.i - 1) * 8 + 1, 'Patient', pg_temp.rid(0, c.i), c.pat_version, c.pat_updated, false, "
                    + patientJson.formatted("c.pat_version", "c.pat_updated", "c.pc_disp") + " from bench_child c order by c.i");
            exec("insert into resource (pid, res_type, res_id, version_id, last_updated, deleted, content) overriding system value"
                    + " select (c.i - 1) * 8 + 2, 'RelatedPerson', pg_temp.rid(1, c.i), 1, c.created + interval '1 second', false,"
                    + " jsonb_build_object('resourceType', 'RelatedPerson', 'id', pg_temp.rid(1, c.i),"
                    + "  'meta', " + meta.formatted("c.created + interval '1 second'") + ","
                    + "  'identifier', jsonb_build_array(jsonb_build_object('system', c.rp_sys, 'value', 'K' || c.i)),"
                    + "  'patient', " + subject + ","
                    + "  'relationship', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object("
                    + "     'system', 'http://terminology.hl7.org/CodeSystem/v3-RoleCode', 'code', c.carer_rel,"
                    + "     'display', case c.carer_rel when 'MTH' then 'mother' else 'father' end)))),"
                    + "  'name', jsonb_build_array(jsonb_build_object('family', c.fam_disp, 'given', jsonb_build_array(c.carer_given))),"
                    + "  'telecom', jsonb_build_array(jsonb_build_object('system', 'phone', 'use', 'mobile',"
                    + "     'value', '07700 900' || lpad((c.i % 1000)::text, 3, '0'))))"
                    + " from bench_child c order by c.i");
            exec("insert into resource (pid, res_type, res_id, version_id, last_updated, deleted, content) overriding system value"
                    + " select (c.i - 1) * 8 + 3, 'Consent', pg_temp.rid(2, c.i), 1, c.created + interval '2 second', false,"
                    + " jsonb_build_object('resourceType', 'Consent', 'id', pg_temp.rid(2, c.i),"
                    + "  'meta', " + meta.formatted("c.created + interval '2 second'") + ","
                    + "  'status', c.consent_status,"
                    + "  'scope', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object("
                    + "     'system', 'http://terminology.hl7.org/CodeSystem/consentscope', 'code', 'patient-privacy'))),"
                    + "  'category', jsonb_build_array("
                    + "     jsonb_build_object('coding', jsonb_build_array(jsonb_build_object('system', 'http://loinc.org', 'code', '59284-0',"
                    + "        'display', 'Patient Consent'))),"
                    + "     jsonb_build_object('coding', jsonb_build_array(jsonb_build_object("
                    + "        'system', 'https://fhir.childrens-gateway.uk/CodeSystem/consent-scope', 'code', c.consent_scope)))),"
                    + "  'patient', " + subject + ","
                    + "  'dateTime', pg_temp.dt(date_trunc('second', c.created)),"
                    + "  'policyRule', jsonb_build_object('coding', jsonb_build_array(jsonb_build_object("
                    + "     'system', 'http://terminology.hl7.org/CodeSystem/v3-ActCode', 'code', 'OPTIN'))))"
                    + " from bench_child c order by c.i");
            exec("insert into resource (pid, res_type, res_id, version_id, last_updated, deleted, content) overriding system value"
                    + " select o.pid, 'Observation', o.id, 1, o.updated, false,"
                    + " jsonb_strip_nulls(jsonb_build_object('resourceType', 'Observation', 'id', o.id,"
                    + "  'meta', " + meta.formatted("o.updated") + ","
                    + "  'status', 'final',"
                    + "  'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object("
                    + "     'system', 'http://terminology.hl7.org/CodeSystem/observation-category', 'code', k.category)))),"
                    + "  'code', jsonb_build_object('coding', k.codes),"
                    + "  'subject', " + subject + ","
                    + "  'effectiveDateTime', pg_temp.dt(o.eff),"
                    + "  'valueQuantity', case when k.unit is not null then jsonb_build_object('value', round((2 + o.uval * 100)::numeric, 1),"
                    + "     'unit', k.unit, 'system', 'http://unitsofmeasure.org', 'code', k.unit) end,"
                    + "  'valueInteger', case when k.unit is null then (o.uval * 60)::int end))"
                    + " from bench_obs o join bench_child c on c.i = o.i join bench_code k on k.slot = o.slot and k.variant = o.variant"
                    + " order by o.pid");
            exec("insert into resource (pid, res_type, res_id, version_id, last_updated, deleted, content) overriding system value"
                    + " select (c.i - 1) * 8 + 8, 'CarePlan', pg_temp.rid(7, c.i), 1, c.created + interval '7 second', false,"
                    + " jsonb_strip_nulls(jsonb_build_object('resourceType', 'CarePlan', 'id', pg_temp.rid(7, c.i),"
                    + "  'meta', " + meta.formatted("c.created + interval '7 second'") + ","
                    + "  'status', c.cp_status, 'intent', 'plan',"
                    + "  'category', jsonb_build_array(jsonb_build_object('coding', jsonb_build_array(jsonb_build_object("
                    + "     'system', 'https://fhir.childrens-gateway.uk/CodeSystem/hv-service-level', 'code', c.cp_level)))),"
                    + "  'title', 'Health visiting plan',"
                    + "  'subject', " + subject + ","
                    + "  'period', jsonb_build_object('start', to_char(c.cp_start, 'YYYY-MM-DD'), 'end', to_char(c.cp_end, 'YYYY-MM-DD'))))"
                    + " from bench_child c order by c.i");
        });
        step("resource_history (every current version, plus version 1 of the 10% of patients updated once)", () -> {
            exec("insert into resource_history (hid, pid, res_type, res_id, version_id, last_updated, deleted, method, content)"
                    + " overriding system value"
                    + " select case when version_id = 1 then pid else " + (n * 8L) + " + pid end, pid, res_type, res_id, version_id,"
                    + " last_updated, false, case when version_id = 1 then 'POST' else 'PUT' end, content from resource order by pid");
            exec("insert into resource_history (hid, pid, res_type, res_id, version_id, last_updated, deleted, method, content)"
                    + " overriding system value"
                    + " select (c.i - 1) * 8 + 1, (c.i - 1) * 8 + 1, 'Patient', pg_temp.rid(0, c.i), 1, c.created, false, 'POST', "
                    + patientJson.formatted("1", "c.created", "c.old_pc_disp") + " from bench_child c where c.pat_version = 2");
        });
        String p = "(c.i - 1) * 8 + ";
        step("sp_token", () -> exec("insert into sp_token (pid, res_type, name, system, code)"
                + " select " + p + "1, 'Patient', 'identifier', '" + NHS + "', c.nhs from bench_child c"
                + " union all select " + p + "1, 'Patient', 'identifier', c.local_sys, c.local_val from bench_child c"
                + " union all select " + p + "1, 'Patient', 'gender', null, c.gender from bench_child c"
                + " union all select " + p + "2, 'RelatedPerson', 'identifier', c.rp_sys, 'K' || c.i from bench_child c"
                + " union all select " + p + "3, 'Consent', 'status', null, c.consent_status from bench_child c"
                + " union all select " + p + "3, 'Consent', 'category', 'http://loinc.org', '59284-0' from bench_child c"
                + " union all select " + p + "3, 'Consent', 'category', 'https://fhir.childrens-gateway.uk/CodeSystem/consent-scope',"
                + "   c.consent_scope from bench_child c"
                + " union all select o.pid, 'Observation', 'code', e->>'system', e->>'code'"
                + "   from bench_obs o join bench_code k on k.slot = o.slot and k.variant = o.variant, jsonb_array_elements(k.codes) e"
                + " union all select o.pid, 'Observation', 'category', 'http://terminology.hl7.org/CodeSystem/observation-category',"
                + "   k.category from bench_obs o join bench_code k on k.slot = o.slot and k.variant = o.variant"
                + " union all select " + p + "8, 'CarePlan', 'status', null, c.cp_status from bench_child c"
                + " union all select " + p + "8, 'CarePlan', 'category', 'https://fhir.childrens-gateway.uk/CodeSystem/hv-service-level',"
                + "   c.cp_level from bench_child c"));
        step("sp_string", () -> exec("insert into sp_string (pid, res_type, name, value_norm, value_exact)"
                + " select " + p + "1, 'Patient', 'name', c.g1_norm, c.g1_disp from bench_child c"
                + " union all select " + p + "1, 'Patient', 'name', c.g2_norm, c.g2_disp from bench_child c where c.g2_disp is not null"
                + " union all select " + p + "1, 'Patient', 'name', c.fam_norm, c.fam_disp from bench_child c"
                + " union all select " + p + "1, 'Patient', 'family', c.fam_norm, c.fam_disp from bench_child c"
                + " union all select " + p + "1, 'Patient', 'given', c.g1_norm, c.g1_disp from bench_child c"
                + " union all select " + p + "1, 'Patient', 'given', c.g2_norm, c.g2_disp from bench_child c where c.g2_disp is not null"
                // TextNormaliser.compact: lower case, no white space (postcodes here are ASCII).
                + " union all select " + p + "1, 'Patient', 'address-postalcode', lower(replace(c.pc_disp, ' ', '')), c.pc_disp"
                + "   from bench_child c"));
        step("sp_date", () -> exec("insert into sp_date (pid, res_type, name, low, high)"
                + " select " + p + "1, 'Patient', 'birthdate', c.bd::timestamp at time zone 'UTC',"
                + "   (c.bd + 1)::timestamp at time zone 'UTC' from bench_child c"
                + " union all select " + p + "3, 'Consent', 'date', date_trunc('second', c.created),"
                + "   date_trunc('second', c.created) + interval '1 second' from bench_child c"
                + " union all select o.pid, 'Observation', 'date', o.eff, o.eff + interval '1 second' from bench_obs o"
                + " union all select " + p + "8, 'CarePlan', 'date', c.cp_start::timestamp at time zone 'UTC',"
                + "   coalesce((c.cp_end + 1)::timestamp at time zone 'UTC', timestamptz '9999-12-31 00:00:00+00') from bench_child c"));
        String patientRef = ", 'Patient', pg_temp.rid(0, c.i) from bench_child c";
        step("sp_reference", () -> exec("insert into sp_reference (pid, res_type, name, target_type, target_id)"
                + " select " + p + "2, 'RelatedPerson', 'patient'" + patientRef
                + " union all select " + p + "3, 'Consent', 'patient'" + patientRef
                + " union all select o.pid, 'Observation', 'subject', 'Patient', pg_temp.rid(0, o.i) from bench_obs o"
                + " union all select o.pid, 'Observation', 'patient', 'Patient', pg_temp.rid(0, o.i) from bench_obs o"
                + " union all select " + p + "8, 'CarePlan', 'subject'" + patientRef
                + " union all select " + p + "8, 'CarePlan', 'patient'" + patientRef));
        exec("set session_replication_role = origin");
        exec("drop table bench_name, bench_area, bench_street, bench_code, bench_child, bench_obs");
        for (String[] ix : indexes) {
            step("create index " + ix[0], () -> exec(ix[1]));
        }
        exec("select setval(pg_get_serial_sequence('resource', 'pid'), (select max(pid) from resource))");
        exec("select setval(pg_get_serial_sequence('resource_history', 'hid'), (select max(hid) from resource_history))");
        step("vacuum (analyze)", () -> exec("vacuum (analyze)"));
        line("");
        line("Total load: " + ms(all) / 1000 + " s");
    }

    private void insertNames(String kind, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            jdbc.sql("insert into bench_name values (?, ?, ?, ?)")
                    .params(kind, i, names.get(i), TextNormaliser.normalise(names.get(i))).update();
        }
    }

    private void sizes() {
        line("");
        line("## Table sizes");
        line("");
        line("| table | rows | table size | index size |");
        line("|---|---:|---:|---:|");
        for (String t : List.of("resource", "resource_history", "sp_token", "sp_string", "sp_date", "sp_reference")) {
            line(jdbc.sql("select '| " + t + " | ' || (select count(*) from " + t + ") || ' | '"
                    + " || pg_size_pretty(pg_table_size('" + t + "')) || ' | ' || pg_size_pretty(pg_indexes_size('" + t + "')) || ' |'")
                    .query(String.class).single());
        }
        line("");
        line("Resources by type: " + jdbc.sql("select string_agg(res_type || ' ' || c, ', ' order by res_type) from"
                + " (select res_type, count(*) c from resource group by res_type) s").query(String.class).single());
    }

    // ---------------------------------------------------------------- fidelity check

    /** The loaded index rows are exactly what {@link SearchIndexer} extracts from the loaded JSON. */
    private void verifySample(SearchParamRegistry registry, int... children) {
        FhirContext context = FhirContext.forR4Cached();
        SearchIndexer indexer = new SearchIndexer(context, registry);
        int checked = 0;
        for (int child : children) {
            for (long pid = (child - 1) * 8L + 1; pid <= child * 8L; pid++) {
                StoredResource stored = store.loadCurrent(List.of(pid)).get(0);
                IBaseResource resource = context.newJsonParser().parseResource(stored.json());
                IndexRows rows = indexer.index(resource);
                Set<String> expected = new java.util.TreeSet<>();
                rows.tokens.forEach(t -> expected.add("token " + t.name() + " " + t.system() + " " + t.code()));
                rows.strings.forEach(s -> expected.add("string " + s.name() + " " + s.normalised() + " " + s.exact()));
                rows.dates.forEach(d -> expected.add("date " + d.name() + " " + d.low() + " " + d.high()));
                rows.references.forEach(r -> expected.add("ref " + r.name() + " " + r.targetType() + " " + r.targetId()));
                Set<String> actual = new java.util.TreeSet<>();
                long key = pid;
                actual.addAll(jdbc.sql("select 'token ' || name || ' ' || coalesce(system, 'null') || ' ' || code from sp_token where pid = ?")
                        .param(key).query(String.class).list());
                actual.addAll(jdbc.sql("select 'string ' || name || ' ' || value_norm || ' ' || value_exact from sp_string where pid = ?")
                        .param(key).query(String.class).list());
                actual.addAll(jdbc.sql("select name, low, high from sp_date where pid = ?").param(key)
                        .query((rs, i) -> "date " + rs.getString(1) + " " + rs.getTimestamp(2).toInstant() + " " + rs.getTimestamp(3).toInstant())
                        .list());
                actual.addAll(jdbc.sql("select 'ref ' || name || ' ' || target_type || ' ' || target_id from sp_reference where pid = ?")
                        .param(key).query(String.class).list());
                assertEquals(expected, actual, "index rows of " + stored.type() + " pid " + pid + " differ from SearchIndexer's");
                checked++;
            }
        }
        line("");
        line("Fidelity: index rows of " + checked + " sampled resources equal SearchIndexer.index() of their stored JSON.");
    }

    // ---------------------------------------------------------------- explain

    private record Query(String label, String type, String params) {
    }

    private void explainAll() {
        int sample = Math.min(4242, CHILDREN);
        long patientPid = (sample - 1) * 8L + 1;
        Map<String, String> v = new LinkedHashMap<>();
        v.put("patId", jdbc.sql("select res_id from resource where pid = ?").param(patientPid).query(String.class).single());
        v.put("nhs", token(patientPid, "identifier", NHS));
        v.put("localSys", jdbc.sql("select system from sp_token where pid = ? and name = 'identifier' and system <> ?")
                .params(patientPid, NHS).query(String.class).single());
        v.put("local", token(patientPid, "identifier", v.get("localSys")));
        v.put("family", string(patientPid, "family"));
        v.put("given", string(patientPid, "given"));
        String birthdate = jdbc.sql("select to_char(low, 'YYYY-MM-DD') from sp_date where pid = ? and name = 'birthdate'")
                .param(patientPid).query(String.class).single();
        v.put("birthdate", birthdate);
        v.put("birthmonth", birthdate.substring(0, 7));
        v.put("birthyear", birthdate.substring(0, 4));
        String postcode = jdbc.sql("select value_exact from sp_string where pid = ? and name = 'address-postalcode'")
                .param(patientPid).query(String.class).single();
        v.put("postcode", postcode);
        v.put("sector", postcode.substring(0, postcode.length() - 2));
        v.put("rpSys", jdbc.sql("select system from sp_token where pid = ?").param(patientPid + 1).query(String.class).single());
        v.put("rpId", token(patientPid + 1, "identifier", v.get("rpSys")));
        v.put("obsDay", jdbc.sql("select to_char(low, 'YYYY-MM-DD') from sp_date where pid = ?").param(patientPid + 3)
                .query(String.class).single());
        v.put("consentDay", jdbc.sql("select to_char(low, 'YYYY-MM-DD') from sp_date where pid = ?").param(patientPid + 2)
                .query(String.class).single());
        v.put("rare", "Cadwaladr");
        String nhsToken = NHS + "|{nhs}";

        List<Query> queries = List.of(
                new Query("_id", "Patient", "_id={patId}"),
                new Query("identifier system|value (NHS number)", "Patient", "identifier=" + nhsToken),
                new Query("identifier value only", "Patient", "identifier={nhs}"),
                new Query("identifier, local system|value", "Patient", "identifier={localSys}|{local}"),
                new Query("name (prefix, rare name)", "Patient", "name={rare}"),
                new Query("name (prefix, 3 letters)", "Patient", "name=cad"),
                new Query("family (common: Jones)", "Patient", "family=Jones"),
                new Query("family (sample child's)", "Patient", "family={family}"),
                new Query("given", "Patient", "given={given}"),
                new Query("family + given + birthdate (demographic match)", "Patient",
                        "family={family}&given={given}&birthdate={birthdate}"),
                new Query("birthdate eq day", "Patient", "birthdate={birthdate}"),
                new Query("birthdate eq month (partial)", "Patient", "birthdate={birthmonth}"),
                new Query("birthdate eq year (partial)", "Patient", "birthdate={birthyear}"),
                new Query("birthdate lt (oldest children)", "Patient", "birthdate=lt2007-10-01"),
                new Query("birthdate ge (newborns)", "Patient", "birthdate=ge2025-08-15"),
                new Query("birthdate ge + le (one week)", "Patient", "birthdate=ge2025-03-01&birthdate=le2025-03-07"),
                new Query("gender (broad)", "Patient", "gender=female"),
                new Query("gender (rare)", "Patient", "gender=unknown"),
                new Query("address-postalcode full", "Patient", "address-postalcode={postcode}"),
                new Query("address-postalcode sector prefix", "Patient", "address-postalcode={sector}"),
                new Query("_lastUpdated ge (last week)", "Patient", "_lastUpdated=ge2025-08-25"),
                new Query("_lastUpdated gt (last week)", "Patient", "_lastUpdated=gt2025-08-25"),
                new Query("_lastUpdated lt (first days)", "Patient", "_lastUpdated=lt2022-09-05"),
                new Query("_lastUpdated eq day", "Patient", "_lastUpdated=2024-03-01"),
                new Query("_sort=-_lastUpdated, filtered", "Patient", "family={family}&_sort=-_lastUpdated"),
                new Query("_sort=birthdate, filtered (broad family)", "Patient", "family=Jones&_sort=birthdate"),
                new Query("_sort=_lastUpdated, everything (broad)", "Patient", "_sort=_lastUpdated"),
                new Query("_summary=count (broad)", "Patient", "gender=female&_summary=count"),
                new Query("name:contains (no index by design)", "Patient", "name:contains=wyn"),
                new Query("identifier + 4 x _revinclude (page)", "Patient", "identifier=" + nhsToken
                        + "&_revinclude=RelatedPerson:patient&_revinclude=Consent:patient&_revinclude=Observation:patient"
                        + "&_revinclude=CarePlan:patient"),
                new Query("family + _revinclude, 20-row page", "Patient", "family={family}&_revinclude=Observation:patient"),

                new Query("patient (typed)", "RelatedPerson", "patient=Patient/{patId}"),
                new Query("patient (id only)", "RelatedPerson", "patient={patId}"),
                new Query("identifier", "RelatedPerson", "identifier={rpSys}|{rpId}"),
                new Query("patient.identifier (chain)", "RelatedPerson", "patient.identifier=" + nhsToken),
                new Query("patient + _include", "RelatedPerson", "patient={patId}&_include=RelatedPerson:patient"),

                new Query("patient", "Consent", "patient={patId}"),
                new Query("patient + status (consent check)", "Consent", "patient={patId}&status=active"),
                new Query("status (broad)", "Consent", "status=active"),
                new Query("status (rarer)", "Consent", "status=rejected"),
                new Query("category (everything)", "Consent", "category=http://loinc.org|59284-0"),
                new Query("category (1 in 7)", "Consent", "category=https://fhir.childrens-gateway.uk/CodeSystem/consent-scope|SALT"),
                new Query("date eq day", "Consent", "date={consentDay}"),
                new Query("date ge (last week)", "Consent", "date=ge2025-08-25"),
                new Query("patient.identifier (chain)", "Consent", "patient.identifier=" + nhsToken),
                new Query("patient.identifier + status (chain)", "Consent", "patient.identifier=" + nhsToken + "&status=active"),

                new Query("subject", "Observation", "subject=Patient/{patId}"),
                new Query("patient", "Observation", "patient={patId}"),
                new Query("patient + code (growth chart)", "Observation", "patient={patId}&code=http://loinc.org|29463-7"),
                new Query("patient + category + _sort=-date", "Observation", "patient={patId}&category=vital-signs&_sort=-date"),
                new Query("code (1 in 8 of slot 4)", "Observation", "code=https://fhir.childrens-gateway.uk/CodeSystem/asq3|PSOC"),
                new Query("code (broad: every weight)", "Observation", "code=http://loinc.org|29463-7"),
                new Query("category (broad)", "Observation", "category=vital-signs"),
                new Query("date eq day", "Observation", "date={obsDay}"),
                new Query("date ge (last week)", "Observation", "date=ge2025-08-25"),
                new Query("date gt (last week)", "Observation", "date=gt2025-08-25"),
                new Query("code + date range (a month of weights)", "Observation",
                        "code=http://loinc.org|29463-7&date=ge2025-06-01&date=lt2025-07-01"),
                new Query("patient.identifier (chain)", "Observation", "patient.identifier=" + nhsToken),
                new Query("subject.identifier + code (chain)", "Observation",
                        "subject.identifier=" + nhsToken + "&code=http://loinc.org|8302-2"),
                new Query("patient + _include", "Observation", "patient={patId}&_include=Observation:patient"),
                new Query("_sort=date, broad (every PSOC score)", "Observation",
                        "code=https://fhir.childrens-gateway.uk/CodeSystem/asq3|PSOC&_sort=date"),

                new Query("subject", "CarePlan", "subject=Patient/{patId}"),
                new Query("patient + status", "CarePlan", "patient={patId}&status=active"),
                new Query("status (broad)", "CarePlan", "status=active"),
                new Query("status (rarer)", "CarePlan", "status=revoked"),
                new Query("category (5%)", "CarePlan",
                        "category=https://fhir.childrens-gateway.uk/CodeSystem/hv-service-level|universal-partnership-plus"),
                new Query("date lt (old plans)", "CarePlan", "date=lt2008-01-01"),
                new Query("date ge (open/recent: broad)", "CarePlan", "date=ge2025-08-25"),
                new Query("patient.identifier (chain)", "CarePlan", "patient.identifier=" + nhsToken),
                new Query("category + status + _sort=-date", "CarePlan",
                        "category=https://fhir.childrens-gateway.uk/CodeSystem/hv-service-level|universal-partnership-plus"
                                + "&status=active&_sort=-date"));

        line("");
        line("## Searches");
        line("");
        line("Sample child " + sample + " (synthetic). Each search: the keys statement from SearchSqlBuilder with its real"
                + " arguments, `search()` wall time through PostgresResourceStore (best of 2 after a warm-up),"
                + " then for include searches the page and include statements for the first " + PAGE + " keys.");
        for (Query q : queries) {
            String params = q.params();
            for (Map.Entry<String, String> e : v.entrySet()) {
                params = params.replace("{" + e.getKey() + "}", e.getValue());
            }
            search(q, params);
        }
        history(v.get("patId"));
        session();
        planCache(v.get("postcode"));
        line("");
        line("## Summary");
        line("");
        line("| search | rows | search() ms | EXPLAIN exec ms | access paths |");
        line("|---|---:|---:|---:|---|");
        summary.forEach(this::line);
        System.out.println(String.join("\n", summary));
    }

    private String token(long pid, String name, String system) {
        return jdbc.sql("select code from sp_token where pid = ? and name = ? and system = ?").params(pid, name, system)
                .query(String.class).single();
    }

    private String string(long pid, String name) {
        return jdbc.sql("select value_exact from sp_string where pid = ? and name = ? limit 1").params(pid, name)
                .query(String.class).single();
    }

    private void search(Query q, String params) {
        ParsedSearch parsed = parser.parse(q.type(), parseQueryString(params), false);
        SqlFragment sql = parsed.countOnly() ? SearchSqlBuilder.count(parsed.query()) : SearchSqlBuilder.keys(parsed.query());
        String url = q.type() + "?" + params;
        line("");
        line("### " + url);
        line("");
        line(q.label() + ".");
        List<Long> keys;
        Supplier<Integer> run = parsed.countOnly()
                ? () -> store.count(parsed.query())
                : () -> store.search(parsed.query()).size();
        run.get();
        long best = Long.MAX_VALUE;
        int rows = 0;
        for (int i = 0; i < 2; i++) {
            long t = System.nanoTime();
            rows = run.get();
            best = Math.min(best, System.nanoTime() - t);
        }
        keys = parsed.countOnly() ? List.of() : store.search(parsed.query());
        String searchMs = String.format("%.1f", best / 1e6);
        line("");
        line("rows: " + (parsed.countOnly() ? "count = " + rows : rows) + ", search() " + searchMs + " ms");
        Plan plan = explain(sql);
        summary.add("| " + url.replace("|", "\\|") + " | " + rows + " | " + searchMs + " | " + plan.execMs() + " | "
                + String.join(", ", plan.access()) + " |");
        if (!parsed.includes().isEmpty() && !keys.isEmpty()) {
            List<Long> page = keys.subList(0, Math.min(PAGE, keys.size()));
            line("");
            line("Page of " + page.size() + " (PostgresResourceStore.loadCurrent):");
            Plan load = explain(PostgresResourceStore.loadCurrentQuery(page));
            List<StoredResource> matches = store.loadCurrent(page);
            List<String> parts = new ArrayList<>(List.of("page " + load.execMs()));
            for (IncludeSpec inc : parsed.includes()) {
                line("");
                line(inc.asParameter() + ":");
                Plan p = explain(inc.reverse()
                        ? PostgresResourceStore.revIncludesQuery(matches, inc.sourceType(), inc.param())
                        : PostgresResourceStore.includesQuery(page, inc.sourceType(), inc.param(), inc.targetType()));
                parts.add(inc.asParameter() + " " + p.execMs() + " (" + String.join(", ", p.access()) + ")");
            }
            summary.add("| ↳ page of " + page.size() + " + includes | | | " + String.join("; ", parts).replace("|", "\\|") + " | |");
        }
    }

    private void history(String patId) {
        line("");
        line("## History, vread and paging");
        explainNamed("vread Patient/{id}/_history/1 (PostgresResourceStore.READ_VERSION)",
                new SqlFragment().append(PostgresResourceStore.READ_VERSION, "Patient", patId, 1L));
        explainNamed("Patient/{id}/_history", PostgresResourceStore.historyKeysQuery("Patient", patId, null, 10_000));
        explainNamed("Observation/_history (type history, limit 10000)",
                PostgresResourceStore.historyKeysQuery("Observation", null, null, 10_000));
        explainNamed("Patient/_history?_since=2025-08-25",
                PostgresResourceStore.historyKeysQuery("Patient", null, Instant.parse("2025-08-25T00:00:00Z"), 10_000));
    }

    private void session() {
        SearchSessionStore sessions = new SearchSessionStore(jdbc);
        ParsedSearch broad = parser.parse("Observation", parseQueryString("code=http://loinc.org|29463-7"), false);
        List<Long> keys = store.search(broad.query());
        long t = System.nanoTime();
        UUID id = sessions.save("search", "Observation", keys, "", null);
        String saveMs = String.format("%.1f", (System.nanoTime() - t) / 1e6);
        int from = keys.size() - 2 * PAGE;
        sessions.keys(id, from, from + PAGE);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long s = System.nanoTime();
            List<Long> slice = sessions.keys(id, from, from + PAGE);
            best = Math.min(best, System.nanoTime() - s);
            assertEquals(keys.subList(from, from + PAGE), slice);
        }
        line("");
        line("Search session of " + keys.size() + " keys: save " + saveMs + " ms; keys(" + from + ", " + (from + PAGE)
                + ") best " + String.format("%.1f", best / 1e6) + " ms; stored size "
                + jdbc.sql("select pg_size_pretty(pg_column_size(keys)::bigint) from search_session where id = ?").param(id)
                .query(String.class).single() + ".");
        // The statement SearchSessionStore.keys issues.
        explainNamed("search_session slice (SearchSessionStore.keys)",
                new SqlFragment().append("select keys[?:?] from search_session where id = ?", from + 1, from + PAGE, id));
        summary.add("| search_session slice of " + keys.size() + " keys | " + PAGE + " | " + String.format("%.1f", best / 1e6)
                + " | | save " + saveMs + " ms |");
    }

    /**
     * Why the gateway forces custom plans: with PostgreSQL's default plan cache, a search statement run
     * often on one connection may get a generic plan, which cannot use the LIKE prefix range.
     */
    private void planCache(String postcode) {
        line("");
        line("## Prepared statements and generic plans");
        line("");
        line("| plan_cache_mode | Patient?address-postalcode=" + postcode + " after 8 broad string searches on the connection |");
        line("|---|---:|");
        for (String mode : List.of("force_generic_plan", "auto", "force_custom_plan")) {
            exec("set plan_cache_mode = " + mode);
            exec("discard plans");
            for (String family : List.of("Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Smith", "Hughes")) {
                store.search(parser.parse("Patient", parseQueryString("family=" + family), false).query());
            }
            SearchQuery selective = parser.parse("Patient", parseQueryString("address-postalcode=" + postcode), false).query();
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                store.search(selective);
                best = Math.min(best, System.nanoTime() - t);
            }
            line("| " + mode + " | " + String.format("%.2f", best / 1e6) + " ms |");
            summary.add("| address-postalcode after broad searches, plan_cache_mode=" + mode + " | 1 | "
                    + String.format("%.2f", best / 1e6) + " | | |");
        }
        exec(FORCE_CUSTOM_PLAN);
    }

    private void explainNamed(String name, SqlFragment sql) {
        line("");
        line("### " + name);
        Plan plan = explain(sql);
        summary.add("| " + name.replace("|", "\\|") + " | | | " + plan.execMs() + " | " + String.join(", ", plan.access()) + " |");
    }

    private record Plan(String execMs, Set<String> access) {
    }

    private Plan explain(SqlFragment sql) {
        List<String> plan = jdbc.sql("explain (analyze, buffers) " + sql.sql()).params(sql.args()).query(String.class).list();
        line("");
        line("```sql");
        line(sql.sql());
        line("-- args: " + sql.args().stream().map(StorageExplainBench::show).collect(Collectors.joining(", ")));
        line("```");
        line("```");
        plan.forEach(this::line);
        line("```");
        Set<String> access = new LinkedHashSet<>();
        String exec = "?";
        for (String l : plan) {
            Matcher m = ACCESS.matcher(l);
            while (m.find()) {
                access.add(m.group(1));
            }
            Matcher e = EXEC.matcher(l);
            if (e.find()) {
                exec = e.group(1);
            }
        }
        return new Plan(exec, access);
    }

    private static String show(Object arg) {
        if (arg instanceof Object[] array) {
            String s = Arrays.toString(array);
            return s.length() > 120 ? s.substring(0, 117) + "...]" : s;
        }
        if (arg instanceof Timestamp ts) {
            return ts.toInstant().toString();
        }
        return String.valueOf(arg);
    }

    private static Map<String, String[]> parseQueryString(String query) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            String key = URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8);
            multi.computeIfAbsent(key, k -> new ArrayList<>()).add(part.substring(eq + 1));
        }
        Map<String, String[]> params = new LinkedHashMap<>();
        multi.forEach((k, v) -> params.put(k, v.toArray(String[]::new)));
        return params;
    }

    // ---------------------------------------------------------------- helpers

    private void exec(String sql) {
        template.execute(sql);
    }

    private void step(String name, Runnable step) {
        long t = System.nanoTime();
        step.run();
        String msg = "- " + name + ": " + ms(t) + " ms";
        line(msg);
        System.out.println("[bench] " + msg);
    }

    private static long ms(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void line(String s) {
        report.append(s).append('\n');
    }

}
