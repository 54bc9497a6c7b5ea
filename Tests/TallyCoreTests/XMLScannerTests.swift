@testable import TallyCore
@testable import TallyFormats
import XCTest

/// The XML scanner that reads workbook parts, on hand-written XML whose reading is known.
final class XMLScannerTests: XCTestCase {
    /// The tokens of a text, written back compactly: `<name attributes>`, `<name/>`, `</name>`, and text in quotes.
    func tokens(_ xml: String) throws -> [String] {
        var out: [String] = []
        try XLSXParts.scan(Array(xml.utf8), part: "p.xml") { x, token in
            switch token {
            case .open(let name, let attributes, let empty):
                let a = x.text(attributes, raw: true).trimmingCharacters(in: .whitespaces)
                out.append("<\(x.text(name, raw: true))\(a.isEmpty ? "" : " " + a)\(empty ? "/" : "")>")
            case .close(let name): out.append("</\(x.text(name, raw: true))>")
            case .text(let range, let raw): out.append("'\(x.text(range, raw: raw))'")
            }
        }
        return out
    }

    func testTagsTextEntitiesAndCDATA() throws {
        XCTAssertEqual(try tokens("<?xml version=\"1.0\"?><a x=\"1 > 0\"><b/>t &amp; &lt;&#65;&#x42;&bogus;<!-- c --><![CDATA[<&>]]></a>"),
                       ["<a x=\"1 > 0\">", "<b/>", "'t & <AB&bogus;'", "'<&>'", "</a>"])
        XCTAssertEqual(try tokens("<x:w><x:c  r='A1' />\n</x:w >"), ["<x:w>", "<x:c r='A1'/>", "'\n'", "</x:w>"])
        XCTAssertThrowsError(try tokens("<a></b></a></a>"), "a close without its open")
        XCTAssertThrowsError(try tokens("<a><b>text"), "XML cut short")
    }

    func testAttributesByLocalName() throws {
        let xml = Array("<sheet name=\"Q&amp;A\" sheetId=\"7\" r:id=\"rId3\"/>".utf8)
        try xml.withUnsafeBufferPointer { b in
            var x = XMLScanner(b, part: "p.xml")
            guard case .open(let name, let attributes, true)? = try x.next() else { return XCTFail("no empty tag") }
            XCTAssertTrue(x.named(name, "sheet"))
            XCTAssertEqual(x.attribute("name", in: attributes), "Q&A")
            XCTAssertEqual(x.attribute("id", in: attributes), "rId3")
            XCTAssertEqual(x.attributeRange("sheetId", in: attributes).flatMap(x.integer), 7)
            XCTAssertNil(x.attribute("Id", in: attributes))
        }
    }

    func testDTDsAndUnendedMarkupAreErrorsNamingThePart() {
        for (xml, message) in [("<!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>", "`p.xml` holds a DTD"), ("<a><b", "`p.xml` is not well-formed XML"),
                               ("<a><!-- never closed", "`-->` is missing"), ("<a></a", "a closing tag does not end"), ("<", "ends inside a tag")] {
            XCTAssertThrowsError(try tokens(xml), xml) { XCTAssertTrue(($0 as? XLSXFault)?.message.contains(message) ?? false, "\(xml): \($0)") }
        }
    }

    func testAMergedHeaderWrittenBackwardsNamesItsColumns() throws {
        let xml = """
            <worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Amount</t></is></c></row>
            <row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row></sheetData>
            <mergeCells><mergeCell ref="B1:A1"/></mergeCells></worksheet>
            """
        let sheet = try XLSXParts.Sheet(Array(xml.utf8), part: "s.xml", sharedStrings: [], styles: XLSXParts.Styles())
        XCTAssertEqual(try XLSXReader.table(sheet, uses1904: false)?.names, ["Amount", "Amount_2"])
    }
}
