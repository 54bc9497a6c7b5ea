"""Writes the Arrow IPC stream fixtures with pyarrow (run by hand; the .arrows files are committed).

types.arrows: one column of each type Tally reads, with nulls; two batches.
zstd.arrows: the same, its buffers compressed with ZSTD.
empty.arrows: a schema and no batch (what an empty result sends).
nested.arrows: a list column, which Tally refuses by name.
extremes.arrows: the smallest and largest 64-bit values as timestamps in seconds, nanoseconds and as 64-bit dates,
which lie outside the calendar Tally holds (they read as null, never a trap).
"""
import datetime, decimal
import pyarrow as pa

table = pa.table({
    "i8": pa.array([1, None, -3], pa.int8()),
    "i64": pa.array([9007199254740993, -1, None], pa.int64()),
    "u32": pa.array([4294967295, 0, None], pa.uint32()),
    "f32": pa.array([1.5, None, -0.25], pa.float32()),
    "f64": pa.array([2.5, float("inf"), None], pa.float64()),
    "ok": pa.array([True, False, None], pa.bool_()),
    "name": pa.array(["Ada", None, "Zoë, \"quoted\""], pa.string()),
    "big": pa.array(["x" * 3, "", None], pa.large_string()),
    "day": pa.array([datetime.date(2025, 11, 30), datetime.date(1969, 12, 31), None], pa.date32()),
    "ms_day": pa.array([datetime.date(2024, 2, 29), None, datetime.date(1970, 1, 1)], pa.date64()),
    "at": pa.array([datetime.datetime(2025, 11, 3, 14, 5, 9), None, datetime.datetime(1969, 12, 31, 23, 59, 59)], pa.timestamp("us", tz="UTC")),
    "price": pa.array([decimal.Decimal("12.34"), decimal.Decimal("-0.05"), None], pa.decimal128(10, 2)),
    "count": pa.array([decimal.Decimal("12345678901234567890"), decimal.Decimal("7"), None], pa.decimal128(38, 0)),
    "nothing": pa.array([None, None, None], pa.null()),
})

def write(path, batches, options=None):
    with pa.OSFile(path, "wb") as sink, pa.ipc.new_stream(sink, table.schema, options=options) as writer:
        for batch in batches:
            writer.write_batch(batch)

write("types.arrows", [table.slice(0, 2).to_batches()[0], table.slice(2).to_batches()[0]])
write("zstd.arrows", table.to_batches(), pa.ipc.IpcWriteOptions(compression="zstd"))
write("empty.arrows", [])
nested = pa.table({"tags": pa.array([["a"], []], pa.list_(pa.string()))})
with pa.OSFile("nested.arrows", "wb") as sink, pa.ipc.new_stream(sink, nested.schema) as writer:
    writer.write_table(nested)
extreme = [-(2**63), 2**63 - 1, 0]
extremes = pa.table({
    "s": pa.array(extreme, pa.timestamp("s")),
    "ns": pa.array(extreme, pa.timestamp("ns")),
    "ms_day": pa.array(extreme, pa.int64()).cast(pa.date64(), safe=False),
})
with pa.OSFile("extremes.arrows", "wb") as sink, pa.ipc.new_stream(sink, extremes.schema) as writer:
    writer.write_table(extremes)
