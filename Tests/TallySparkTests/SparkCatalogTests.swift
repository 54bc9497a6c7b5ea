import TallyCore
@testable import TallySpark
import XCTest

/// Tables read from the text of Spark's `SHOW TABLE EXTENDED` (as Spark 4.3 wrote it for a table `tally upload` made).
final class SparkCatalogTests: XCTestCase {
    let stageChanges = """
        Catalog: spark_catalog
        Database: default
        Table: stage_changes
        Created By: Spark 4.3.0
        Type: MANAGED
        Provider: parquet
        Table Properties: [tally.key=opportunity%5Fid,entered]
        Statistics: 78552 bytes, 16218 rows
        Location: file:/tmp/sparkt/warehouse/stage_changes
        Schema: root
         |-- opportunity_id: long (nullable = true)
         |-- stage: string (nullable = true)
         |-- entered: date (nullable = true)
        """

    func testTheKeyPropertyOrdersTheRows() {
        let table = SparkCatalog.table(information: stageChanges)
        XCTAssertEqual(table.names, ["opportunity_id", "stage", "entered"])
        XCTAssertEqual(table.types, [.int, .string, .date])
        XCTAssertEqual(table.estimatedRows, 16218)
        XCTAssertEqual(table.order, .key(["opportunity_id", "entered"]))
    }

    func testWithoutAKeyTheRowsHaveTheEnginesOrder() {
        let view = stageChanges.replacingOccurrences(of: "Table Properties: [tally.key=opportunity%5Fid,entered]\n", with: "")
            .replacingOccurrences(of: "Type: MANAGED", with: "Type: VIEW")
        XCTAssertEqual(SparkCatalog.table(information: view).order, .engine)
        let renamed = stageChanges.replacingOccurrences(of: "|-- entered:", with: "|-- entered_on:")
        XCTAssertEqual(SparkCatalog.table(information: renamed).order, .engine, "a key naming a column the table lacks orders nothing")
    }

    func testPropertyValuesKeepCommasInNames() {
        let names = ["a,b", "c_d", "é"]
        XCTAssertEqual(SparkCatalog.propertyValue(names), "a%2Cb,c_d,%C3%A9")
        XCTAssertEqual(SparkCatalog.names(propertyValue: Substring(SparkCatalog.propertyValue(names))), names)
    }
}
