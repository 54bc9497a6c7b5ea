#!/usr/bin/env python3
"""Writes Parquet copies of seeds/ with the tools users have, covering what Tally must read.

    tools/make-parquet-fixtures.py OUT_FOLDER            every seeds/ table in every variant (for tools and bench)
    tools/make-parquet-fixtures.py --tests OUT_FOLDER    the small files committed as test fixtures

OUT_FOLDER/<variant>/<table>.parquet for each variant:
  duckdb            DuckDB's COPY defaults (Snappy, dictionary, v1 pages)
  polars            Polars' write_parquet defaults (ZSTD, v2 pages)
  pyarrow-<codec>-<v1|v2>   pyarrow with none/snappy/gzip/zstd and data page version 1.0/2.0
  pyarrow-plain     no dictionary (PLAIN strings), several row groups
  pyarrow-delta     DELTA_BINARY_PACKED ints, DELTA_BYTE_ARRAY / DELTA_LENGTH_BYTE_ARRAY strings, BYTE_STREAM_SPLIT floats
Dates stay dates (DATE); the CSV's text columns stay strings. Needs pyarrow, duckdb and polars (pip install).
"""
import os, sys
import duckdb, polars as pl, pyarrow as pa, pyarrow.csv as pacsv, pyarrow.parquet as pq

SEEDS = os.path.join(os.path.dirname(__file__), "..", "seeds")


def tables():
    for f in sorted(os.listdir(SEEDS)):
        if f.endswith(".csv"):
            # An empty field is null, as Tally and DuckDB read CSV.
            yield f[:-4], pacsv.read_csv(os.path.join(SEEDS, f), convert_options=pacsv.ConvertOptions(strings_can_be_null=True))


def test_fixtures(out):
    """The first 500 rows of `sales` in every variant (several row groups where the variant sets their size), a file
    of every type with nulls, and a nested one (refused). The values are the ones Tests/TallyCoreTests/ParquetTests.swift
    expects."""
    os.makedirs(out, exist_ok=True)
    everything = os.path.join(out, "all")
    write_variants(everything, only="sales", rows=500)
    for variant in os.listdir(everything):
        os.replace(os.path.join(everything, variant, "sales.parquet"), os.path.join(out, f"sales-{variant}.parquet"))
        os.rmdir(os.path.join(everything, variant))
    os.rmdir(everything)
    import datetime, decimal
    types = pa.table({
        "flag": pa.array([True, None, False], pa.bool_()),
        "small": pa.array([-7, 2147483647, None], pa.int32()),
        "big": pa.array([None, -9223372036854775808, 9223372036854775807], pa.int64()),
        "unsigned": pa.array([4294967295, 0, None], pa.uint32()),
        "single": pa.array([1.5, None, -0.25], pa.float32()),
        "double": pa.array([None, 2.5e300, -1e-300], pa.float64()),
        "text": pa.array(["héllo", "", None], pa.string()),
        "day": pa.array([datetime.date(1969, 12, 31), None, datetime.date(2025, 11, 3)], pa.date32()),
        "ms": pa.array([datetime.datetime(2025, 11, 3, 23, 59), None, datetime.datetime(1969, 12, 31, 12)], pa.timestamp("ms")),
        "us": pa.array([datetime.datetime(2025, 1, 1), datetime.datetime(1970, 1, 1), None], pa.timestamp("us")),
        "ns": pa.array([None, datetime.datetime(2000, 2, 29, 1), datetime.datetime(2025, 11, 3)], pa.timestamp("ns")),
        "price": pa.array([decimal.Decimal("12.34"), decimal.Decimal("-0.05"), None], pa.decimal128(9, 2)),
        "wide": pa.array([decimal.Decimal("-123456789012.345"), None, decimal.Decimal("1.000")], pa.decimal128(20, 3)),
    })
    pq.write_table(types, os.path.join(out, "types.parquet"))
    pq.write_table(types.select(["ms"]).rename_columns(["legacy"]), os.path.join(out, "int96.parquet"),
                   use_deprecated_int96_timestamps=True)
    nested = pa.table({"id": [1, 2], "items": pa.array([[1, 2], []], pa.list_(pa.int64()))})
    pq.write_table(nested, os.path.join(out, "nested.parquet"))


def main():
    if sys.argv[1] == "--tests":
        return test_fixtures(sys.argv[2])
    write_variants(sys.argv[1])


def write_variants(out, only=None, rows=None):
    for name, t in tables():
        if only and name != only:
            continue
        if rows:
            t = t.slice(0, rows)
        group = 1000 if rows is None else 200
        for codec in ["none", "snappy", "gzip", "zstd"]:
            for version in ["1.0", "2.0"]:
                d = os.path.join(out, f"pyarrow-{codec}-v{version[0]}")
                os.makedirs(d, exist_ok=True)
                pq.write_table(t, os.path.join(d, f"{name}.parquet"), compression=codec, data_page_version=version)
        d = os.path.join(out, "pyarrow-plain")
        os.makedirs(d, exist_ok=True)
        pq.write_table(t, os.path.join(d, f"{name}.parquet"), use_dictionary=False, row_group_size=group, compression="snappy")
        d = os.path.join(out, "pyarrow-delta")
        os.makedirs(d, exist_ok=True)
        encodings = {}
        for i, field in enumerate(t.schema):
            if pa.types.is_integer(field.type) or pa.types.is_date(field.type):
                encodings[field.name] = "DELTA_BINARY_PACKED"
            elif pa.types.is_string(field.type):
                encodings[field.name] = "DELTA_BYTE_ARRAY" if i % 2 else "DELTA_LENGTH_BYTE_ARRAY"
            elif pa.types.is_floating(field.type):
                encodings[field.name] = "BYTE_STREAM_SPLIT"
        # Dates are INT32 in Parquet: DELTA_BINARY_PACKED suits them too.
        pq.write_table(t, os.path.join(d, f"{name}.parquet"), use_dictionary=False, column_encoding=encodings,
                       data_page_version="2.0", compression="zstd", row_group_size=group + group // 2)
        d = os.path.join(out, "duckdb")
        os.makedirs(d, exist_ok=True)
        duckdb.sql(f"COPY (SELECT * FROM read_csv('{os.path.join(SEEDS, name + '.csv')}') {f'LIMIT {rows}' if rows else ''}) "
                   f"TO '{os.path.join(d, name + '.parquet')}'")
        d = os.path.join(out, "polars")
        os.makedirs(d, exist_ok=True)
        frame = pl.read_csv(os.path.join(SEEDS, name + ".csv"), try_parse_dates=True)
        (frame.head(rows) if rows else frame).write_parquet(os.path.join(d, name + ".parquet"))


if __name__ == "__main__":
    main()
