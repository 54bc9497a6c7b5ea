#!/usr/bin/env python3
"""Writes the db-benchmark data (h2oai/db-benchmark, now maintained by DuckDB Labs) from its published specification,
_data/groupby-datagen.R and _data/join-datagen.R, with numpy's generator instead of R's (same shapes and
distributions, not the same bytes).

    bench/dbbench/datagen.py groupby N K NAS OUT     G1_<N>_<K>_<NAS>_0.csv: id1, id2 "id%03d" of K; id3 "id%010d" of N/K;
                                                     id4, id5 int of K; id6 int of N/K; v1, v2 int 1..5; v3 uniform
                                                     0..100 rounded to 4 places; NAS percent of each column null
    bench/dbbench/datagen.py join N OUT              J1_<N>_NA_0_0.csv (x) and the small (N/1e6), medium (N/1e3) and
                                                     big (N) tables: integer keys id1..id3 split 90% shared, 10% only
                                                     left, 10% only right; id4..id6 their text "id<n>"; v1, v2 uniform
"""
import os, sys
import numpy as np
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)
import pyarrow.csv as pacsv

rng = np.random.default_rng(108)
# As data.table's fwrite writes them: no quotes (no value holds a comma or a quote).
CSV = pacsv.WriteOptions(quoting_style="none")


def pretty(n):
    n = int(n)
    return f"{str(n)[0]}e{len(str(n)) - 1}"


def text(prefix, values, width=None):
    fmt = f"{prefix}%0{width}d" if width else f"{prefix}%d"
    return pa.array(np.char.mod(fmt, values).astype(object))


def groupby(n, k, nas, out):
    n, k = int(float(n)), int(float(k))
    # Text keys drawn as numbers first, then formatted once per distinct value.
    id1, id2 = rng.integers(1, k + 1, n), rng.integers(1, k + 1, n)
    id3 = rng.integers(1, n // k + 1, n)
    columns = {
        "id1": pa.DictionaryArray.from_arrays(pa.array(id1 - 1, pa.int32()), text("id", np.arange(1, k + 1), 3)).cast(pa.string()),
        "id2": pa.DictionaryArray.from_arrays(pa.array(id2 - 1, pa.int32()), text("id", np.arange(1, k + 1), 3)).cast(pa.string()),
        "id3": pa.DictionaryArray.from_arrays(pa.array(id3 - 1, pa.int32()), text("id", np.arange(1, n // k + 1), 10)).cast(pa.string()),
        "id4": pa.array(rng.integers(1, k + 1, n)),
        "id5": pa.array(rng.integers(1, k + 1, n)),
        "id6": pa.array(rng.integers(1, n // k + 1, n)),
        "v1": pa.array(rng.integers(1, 6, n)),
        "v2": pa.array(rng.integers(1, 6, n)),
        "v3": pa.array(np.round(rng.uniform(0, 100, n), 4)),
    }
    if nas:
        for name, array in columns.items():
            mask = np.zeros(n, dtype=bool)
            mask[rng.choice(n, int(n * nas / 100), replace=False)] = True
            columns[name] = pa.compute.if_else(pa.array(mask), pa.scalar(None, array.type), array)
    path = os.path.join(out, f"G1_{pretty(n)}_{pretty(k)}_{nas}_0.csv")
    pacsv.write_csv(pa.table(columns), path, CSV)
    return path


def split_keys(n):
    """Keys 1..1.1n shuffled: the first 90% shared, the next 10% left only, the last 10% right only."""
    key = rng.permutation(int(n * 1.1)) + 1
    return key[: int(n * 0.9)], key[int(n * 0.9): n], key[n:]


def sample_all(keys, size):
    """Every key at least once, the rest drawn with replacement, shuffled."""
    extra = rng.choice(keys, max(size - len(keys), 0), replace=True)
    return rng.permutation(np.concatenate([keys, extra]))


def join(n, out):
    n = int(float(n))
    k1, k2, k3 = split_keys(n // 1_000_000), split_keys(n // 1_000), split_keys(n)

    def table(ids, v):
        cols = {f"id{i + 1}": pa.array(a) for i, a in enumerate(ids)}
        for i, a in enumerate(ids):
            cols[f"id{i + 4}"] = text("id", a)
        cols[v] = pa.array(np.round(rng.uniform(0, 100, len(ids[0])), 6))
        return pa.table(cols)

    name = f"J1_{pretty(n)}_NA_0_0"
    x = table([sample_all(np.concatenate([k[0], k[1]]), n) for k in (k1, k2, k3)], "v1")
    pacsv.write_csv(x, os.path.join(out, f"{name}.csv"), CSV)
    for label, size, keys in (("small", n // 1_000_000, (k1,)), ("medium", n // 1_000, (k1, k2)), ("big", n, (k1, k2, k3))):
        y = table([sample_all(np.concatenate([k[0], k[2]]), size) for k in keys], "v2")
        pacsv.write_csv(y, os.path.join(out, name.replace("NA", pretty(size)) + ".csv"), CSV)


def main():
    task = sys.argv[1]
    if task == "groupby":
        os.makedirs(sys.argv[5], exist_ok=True)
        print(groupby(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]))
    elif task == "join":
        os.makedirs(sys.argv[3], exist_ok=True)
        join(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
