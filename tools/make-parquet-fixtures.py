#!/usr/bin/env python3
"""Writes Parquet copies of seeds/ with the tools users have, covering what Tally must read.

    tools/make-parquet-fixtures.py OUT_FOLDER

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


def main():
    out = sys.argv[1]
    for name, t in tables():
        for codec in ["none", "snappy", "gzip", "zstd"]:
            for version in ["1.0", "2.0"]:
                d = os.path.join(out, f"pyarrow-{codec}-v{version[0]}")
                os.makedirs(d, exist_ok=True)
                pq.write_table(t, os.path.join(d, f"{name}.parquet"), compression=codec, data_page_version=version)
        d = os.path.join(out, "pyarrow-plain")
        os.makedirs(d, exist_ok=True)
        pq.write_table(t, os.path.join(d, f"{name}.parquet"), use_dictionary=False, row_group_size=1000, compression="snappy")
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
                       data_page_version="2.0", compression="zstd", row_group_size=1500)
        d = os.path.join(out, "duckdb")
        os.makedirs(d, exist_ok=True)
        duckdb.sql(f"COPY (SELECT * FROM read_csv('{os.path.join(SEEDS, name + '.csv')}')) TO '{os.path.join(d, name + '.parquet')}'")
        d = os.path.join(out, "polars")
        os.makedirs(d, exist_ok=True)
        pl.read_csv(os.path.join(SEEDS, name + ".csv"), try_parse_dates=True).write_parquet(os.path.join(d, name + ".parquet"))


if __name__ == "__main__":
    main()
