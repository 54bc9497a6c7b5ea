import Foundation
import TallyCore
@testable import TallyEngine
import TallyLang
import XCTest

/// The SQL generator on plans of the fixture catalog: whole statements per dialect (so a reviewer sees what is sent),
/// and the properties every statement must have — literals that cannot break out, names quoted only when needed,
/// Tally's row order, refusals that name the verb and the dialect.
final class SQLGeneratorTests: XCTestCase {
    func sql(_ text: String, _ dialect: any SQLDialect = SQLDialects.postgres) throws -> String {
        let plan = Optimizer.optimize(try PlanFixture.plan(text))
        return try SQLGenerator(dialect: dialect).compile(plan).text
    }

    func testFilterGroupAndTopInEachDialect() throws {
        let query = #"t | where g == "a" and x > 1 | agg total = sum(y), n = count() by g | sort -total | take 3"#
        XCTAssertEqual(try sql(query, SQLDialects.postgres), """
            WITH s1 AS (
              SELECT y, g
              FROM t
              WHERE (g = 'a')
                AND (x > 1)
            ),
            s2 AS (
              SELECT g, sum(CAST(y AS DOUBLE PRECISION)) AS total, count(*) AS n
              FROM s1
              GROUP BY 1
            ),
            s3 AS (
              SELECT g, total, n
              FROM s2
              ORDER BY total DESC NULLS LAST, g COLLATE "C"
              LIMIT 3
            )
            SELECT g, total, n
            FROM s3
            ORDER BY total DESC NULLS LAST, g COLLATE "C"
            """)
        let duckdb = try sql(query, SQLDialects.duckdb)
        XCTAssertFalse(duckdb.contains("rowid"), "the aggregate orders its rows by its keys, so the load order is not carried: \(duckdb)")
        XCTAssertTrue(duckdb.contains("sum(CAST(y AS DOUBLE)) AS total"), duckdb)
        XCTAssertFalse(duckdb.contains("COLLATE"), "DuckDB orders text by bytes already")
        let spark = try sql(query, SQLDialects.spark)
        XCTAssertFalse(spark.contains("rowid") || spark.contains("ctid"), "Spark tables have no load order to name")
        // A table's own columns are cast to Tally's types: the database's may differ (an INTEGER, a NUMERIC).
        XCTAssertTrue(try sql("t | select x, y | take 2").contains("SELECT CAST(x AS BIGINT) AS x, CAST(y AS DOUBLE PRECISION) AS y"))
    }

    func testAMonthIsGroupedByItsFirstDayAndWrittenOncePerGroup() throws {
        let catalog: Catalog = {
            var c = Catalog()
            c.add(Table(names: ["d", "v"], columns: [Column(ints: [20_000, 20_040], type: .date), Column(floats: [1, 2])]), as: "s")
            return c
        }()
        let plan = Optimizer.optimize(try PlanFixture.plan("s | agg total = sum(v) by m = month(d)", catalog: catalog))
        let text = try SQLGenerator(dialect: SQLDialects.postgres).compile(plan).text
        XCTAssertTrue(text.contains("SELECT to_char(date_trunc('month', d), 'YYYY-MM') AS m"), text)
        XCTAssertTrue(text.contains("GROUP BY date_trunc('month', d)"), text)
        // Spark's trunc gives a date; its date_trunc would make every row a timestamp first.
        let spark = try SQLGenerator(dialect: SQLDialects.spark).compile(plan).text
        XCTAssertTrue(spark.contains("SELECT date_format(trunc(d, 'MONTH'), 'yyyy-MM') AS m"), spark)
        XCTAssertTrue(spark.contains("GROUP BY trunc(d, 'MONTH')"), spark)
    }

    func testAWordSearchIsILikeAndAPatternARegularExpression() throws {
        XCTAssertTrue(try sql(#"t | where g ~ "late" | count"#).contains("(g ILIKE '%late%')"))
        XCTAssertTrue(try sql(#"t | where g ~ "late|delay" | count"#).contains("(g ~* 'late|delay')"))
        XCTAssertTrue(try sql(#"t | where g ~ "50%" | count"#).contains("(g ~* '50%')"), "a LIKE wildcard is not a plain word")
        XCTAssertTrue(try sql(#"t | where g ~ "late|delay" | count"#, SQLDialects.spark).contains("(g RLIKE concat('(?i)', 'late|delay'))"))
        XCTAssertTrue(try sql(#"t | where g ~ "late|delay" | count"#, SQLDialects.duckdb).contains("regexp_matches(g, 'late|delay', 'i')"))
    }

    func testStringsCannotBreakOutOfTheirLiteral() throws {
        let hostile = #"it's \' OR 1=1 -- \\"#
        let query = "t | where g == \"\(hostile.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
        // PostgreSQL: an escape string (its meaning does not depend on standard_conforming_strings), quotes doubled and
        // backslashes escaped. DuckDB: quotes doubled, backslashes literal. Spark: backslash escapes, so both are escaped.
        XCTAssertTrue(try sql(query, SQLDialects.postgres).contains(#"(g = E'it''s \\'' OR 1=1 -- \\\\')"#))
        XCTAssertTrue(try sql(#"t | where g == "it's" | count"#, SQLDialects.postgres).contains("(g = 'it''s')"), "no backslash, a plain literal")
        XCTAssertTrue(try sql(query, SQLDialects.duckdb).contains(#"(g = 'it''s \'' OR 1=1 -- \\')"#))
        XCTAssertTrue(try sql(query, SQLDialects.spark).contains(#"(g = 'it\'s \\\' OR 1=1 -- \\\\')"#))
    }

    func testNamesAreQuotedOnlyWhenTheyMustBe() throws {
        // A select that only renames needs no stage of its own: the final select renames.
        let text = try sql("t | select `unit price` = x, Region = g, select = y, plain = x")
        XCTAssertTrue(text.contains(#"BIGINT) AS "unit price", g AS "Region", CAST(y AS DOUBLE PRECISION) AS "select", CAST(x AS BIGINT) AS plain"#),
                      text)
        XCTAssertFalse(text.contains("WITH"), text)
        XCTAssertTrue(try sql("t | select `a\"b` = x").contains(#"BIGINT) AS "a""b""#))
        XCTAssertTrue(try sql("t | select `unit price` = x", SQLDialects.spark).contains("BIGINT) AS `unit price`"))
    }

    /// `k(id int, x int, g string)`: `id` rises from row to row, so it names the load order and is the table's key.
    static let keyed: Catalog = {
        var c = Catalog()
        c.add(Table(names: ["id", "x", "g"], columns: [Column(ints: [1, 2, 5, 9]), Column(ints: [3, 3, 1, 2]), Dictionaries.build(["a", "b", "a", "c"])]),
              as: "k")
        return c
    }()

    /// The SQL of a query over `k`, in the key's order, and the warnings about order it gave.
    func keyedSQL(_ text: String, _ dialect: any SQLDialect = SQLDialects.postgres) throws -> (sql: String, warnings: [String]) {
        let plan = Optimizer.optimize(try PlanFixture.plan(text, catalog: SQLGeneratorTests.keyed))
        let generator = SQLGenerator(dialect: dialect, rowOrder: { (try? SQLGeneratorTests.keyed[$0]?.rowOrder()) ?? .engine })
        return (try generator.compile(plan).text, generator.warnings.list.map(\.message))
    }

    func testAStableSortKeepsTheKeysOrderForTies() throws {
        // NULLS LAST (Tally's order) only where the engine's default differs: PostgreSQL puts nulls first when descending,
        // Spark when ascending, DuckDB never.
        let query = "k | sort g | sort -x | take 2"
        XCTAssertTrue(try keyedSQL(query).sql.contains(#"ORDER BY x DESC NULLS LAST, g COLLATE "C", id"#))
        XCTAssertTrue(try keyedSQL(query, SQLDialects.duckdb).sql.contains("ORDER BY x DESC, g, id"))
        XCTAssertTrue(try keyedSQL(query, SQLDialects.spark).sql.contains("ORDER BY x DESC, g NULLS LAST, id NULLS LAST"))
        XCTAssertEqual(try keyedSQL(query).warnings, [], "the key breaks every tie")
    }

    func testNoDialectNamesAPhysicalRowIdentifier() throws {
        for dialect in [SQLDialects.postgres, SQLDialects.duckdb, SQLDialects.spark] as [any SQLDialect] {
            for query in ["k | take 2", "t | take 2", "k | where x > 1 | top 1 by x per g", "k | derive p = lag(x)", "k | distinct g", "k | union k"] {
                let text = query.hasPrefix("t") ? try sql(query, dialect) : try keyedSQL(query, dialect).sql
                for identifier in ["ctid", "rowid", "monotonically_increasing_id"] {
                    XCTAssertFalse(text.contains(identifier), "\(dialect.name): \(query)\n\(text)")
                }
            }
        }
    }

    func testATableWithoutAKeyWarnsWhereTheAnswerDependsOnTheEnginesOrder() throws {
        func warnings(_ query: String) throws -> [String] {
            let generator = SQLGenerator(dialect: SQLDialects.spark)
            _ = try generator.compile(Optimizer.optimize(try PlanFixture.plan(query)))
            return generator.warnings.list.map(\.message)
        }
        XCTAssertEqual(try warnings("t | take 2"),
                       ["which 2 rows are kept depends on the database's order, which can change from run to run: the table has no key"])
        let ties = "depends on the database's order of rows that tie in the sort, which can change from run to run"
        XCTAssertEqual(try warnings("t | sort g | take 2"), ["which 2 rows are kept " + ties])
        XCTAssertEqual(try warnings("t | top 2 by g per x"), ["which 2 rows of each group are kept " + ties])
        XCTAssertEqual(try warnings("t | sort g | derive p = lag(y)"), ["what `lag` gives " + ties])
        XCTAssertEqual(try warnings("t | segment y into 2"), ["which bin a row of a tied value falls in " + ties])
        // Nothing depends on the order: a filter, groups (sorted by all their keys), a sort shown as it is.
        for query in ["t | where x > 1", "t | agg n = count() by g | take 1", "t | sort g", "t | join u on g", "t | distinct g"] {
            XCTAssertEqual(try warnings(query), [], query)
        }
        XCTAssertThrowsError(try warnings("t | derive p = lag(y)"), "a window over rows in no order cannot be written") { error in
            XCTAssertTrue("\(error)".contains("its rows have no order here; sort first"), "\(error)")
        }
    }

    func testWhatIfIsOneStatementWithBaselineAndScenario() throws {
        let text = try sql("t | whatif y *= 1.1 where g == \"a\" | agg total = sum(y) by g")
        XCTAssertEqual(text.components(separatedBy: "SELECT").count - 1 >= 4, true, text)
        XCTAssertTrue(text.contains("CASE WHEN (g = 'a') THEN (y * CAST(1.1 AS DOUBLE PRECISION)) ELSE y END"), text)
        XCTAssertTrue(text.contains("LEFT JOIN") && text.contains("UNION ALL") && text.contains("NOT EXISTS"), text)
        XCTAssertTrue(text.contains("AS total_pct"), text)
    }

    func testAPositionInTheStatementLeadsBackToItsVerb() throws {
        let text = #"t | where x > 1 | agg total = sum(y) by g | sort -total"#
        let query = try SQLGenerator(dialect: SQLDialects.postgres).compile(Optimizer.optimize(try PlanFixture.plan(text)))
        let sql = query.text
        func verb(at needle: String) -> String? {
            guard let r = sql.range(of: needle) else { return nil }
            let position = sql.distance(from: sql.startIndex, to: r.lowerBound) + 1
            return query.range(atCharacter: position).map { String(text.utf8.dropFirst($0.start).prefix($0.end - $0.start)) ?? "" }
        }
        XCTAssertEqual(verb(at: "WHERE (x > 1)"), "where x > 1")
        XCTAssertEqual(verb(at: "sum(CAST(y"), "agg total = sum(y) by g")
        XCTAssertEqual(verb(at: "ORDER BY total DESC"), "sort -total")
    }

    func testVerbsTallyRunsItselfAreRefusedByNameAndDialect() {
        XCTAssertThrowsError(try sql("t | terms g", SQLDialects.spark)) { error in
            XCTAssertEqual((error as? Diagnostic)?.message, "`terms` cannot be compiled to SQL for spark: words are split by Tally's own tokenizer")
        }
        XCTAssertThrowsError(try sql("t | sort x | agg f = first(g)", SQLDialects.spark)) { error in
            XCTAssertEqual((error as? Diagnostic)?.message, "`first` cannot be compiled to SQL for spark: its first() ignores the rows' order")
        }
    }

    func testALetBecomesStagesOfTheQueriesThatReadItAndNothingRuns() throws {
        let session = Session(catalog: PlanFixture.catalog)
        let source = SourceText(name: "t", text: "let big = t | where x > 2\nbig | agg n = count() by g")
        let script = SQLScript(session: session, dialect: SQLDialects.duckdb, source: source)
        let (statements, diagnostics) = Parser.parse(source)
        XCTAssertTrue(diagnostics.isEmpty)
        XCTAssertNil(try script.add(statements[0]))
        let text = try XCTUnwrap(try script.add(statements[1]))
        XCTAssertTrue(text.contains("FROM t\n") && text.contains("WHERE (x > 2)"), text)
        XCTAssertTrue(text.contains("SELECT g, count(*) AS n"), "the scan of `big` reads its column g by name: \(text)")
        XCTAssertFalse(text.contains("big"), "the let's name is no table anywhere: \(text)")
        XCTAssertTrue(text.contains("s1 AS (\n  -- where\n") && text.contains("s2 AS (\n  -- agg\n"), "each stage names its verb: \(text)")
        XCTAssertNil(session.catalog["big"], "tally sql runs nothing")
    }

    func testATableHeldInTallyCannotJoinADatabaseTable() {
        let plan = try? Optimizer.optimize(PlanFixture.plan("t | join u on g"))
        XCTAssertThrowsError(try SQLGenerator(dialect: SQLDialects.postgres, isRemote: { $0 == "t" }).compile(plan!)) { error in
            XCTAssertEqual((error as? Diagnostic)?.message, "`u` is held in Tally, not in the database: one statement cannot mix the two")
        }
    }
}
