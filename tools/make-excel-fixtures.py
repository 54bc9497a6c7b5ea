#!/usr/bin/env python3
"""Writes Excel copies of seeds/ with openpyxl, and the small workbooks the tests read.

    tools/make-excel-fixtures.py OUT_FOLDER            every seeds/ table as TABLE.xlsx (dates as dates, numbers as numbers)
    tools/make-excel-fixtures.py --tests OUT_FOLDER    the small workbooks committed as test fixtures

Test workbooks (their values are the ones Tests/TallyCoreTests/ExcelTests.swift expects):
  sales.xlsx      the first 300 rows of seeds/sales.csv
  layout.xlsx     two sheets; "Deals" has two blank rows, a header merged over two columns, a formula, a boolean,
                  an error cell and an empty cell; "Notes" is text only; "Empty" has nothing
  mac.xlsx        the 1904 date system
Needs openpyxl (pip install openpyxl).
"""
import csv, datetime, os, sys
import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.datetime import CALENDAR_MAC_1904

SEEDS = os.path.join(os.path.dirname(__file__), "..", "seeds")


def typed(text):
    """A CSV field as Excel would hold it: empty → no cell, numbers as numbers, ISO dates as dates, text as text."""
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    try:
        return datetime.date.fromisoformat(text) if len(text) == 10 else text
    except ValueError:
        return text


def workbook_of(csv_path, rows=None):
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(os.path.basename(csv_path)[:-4])
    with open(csv_path, newline="", encoding="utf-8") as f:
        for k, record in enumerate(csv.reader(f)):
            if rows is not None and k > rows:
                break
            cells = []
            for v in (record if k == 0 else [typed(v) for v in record]):
                cell = WriteOnlyCell(ws, value=v)
                if isinstance(v, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(v, float) and v == int(v):
                    cell.number_format = "0.0"  # 6700.0 in the CSV: a float column, whole as it happens
                cells.append(cell)
            ws.append(cells)
    return wb


def test_fixtures(out):
    os.makedirs(out, exist_ok=True)
    workbook_of(os.path.join(SEEDS, "sales.csv"), rows=300).save(os.path.join(out, "sales.xlsx"))
    wb = openpyxl.Workbook()
    deals = wb.active
    deals.title = "Deals"
    deals.append([])
    deals.append([])
    deals.append(["Customer", "Amount", None, "Won", "Closed", "Note"])
    deals.merge_cells("B3:C3")
    deals.append(["Acme", 1200, 300, True, datetime.date(2025, 11, 3), "first"])
    deals.append(["Bolt", 800.5, 0, False, datetime.date(1969, 12, 31), None])
    deals.append(["Core", "=B4+C4", 7, True, None, "=1/0"])
    for row in deals.iter_rows(min_row=4, max_row=6, min_col=5, max_col=5):
        row[0].number_format = "dd/mm/yyyy"
    notes = wb.create_sheet("Notes")
    notes.append(["text"])
    notes.append(["héllo, \"world\""])
    notes.append(["2025-11"])
    wb.create_sheet("Empty")
    wb.save(os.path.join(out, "layout-openpyxl.xlsx"))
    mac = openpyxl.Workbook()
    mac.epoch = CALENDAR_MAC_1904
    mac.active.append(["day"])
    mac.active.append([datetime.date(2025, 11, 3)])
    mac.active["A2"].number_format = "yyyy-mm-dd"
    mac.save(os.path.join(out, "mac.xlsx"))


def main():
    if sys.argv[1] == "--tests":
        return test_fixtures(sys.argv[2])
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for f in sorted(os.listdir(SEEDS)):
        if f.endswith(".csv"):
            workbook_of(os.path.join(SEEDS, f)).save(os.path.join(out, f[:-4] + ".xlsx"))


if __name__ == "__main__":
    main()
