"""Regenerate ``wilayah.csv.gz`` from the Kemendagri region list in ../shared/data.

Usage: python nlu/data/regions/build.py [--source DIR]

Input (see NOTICE.md): ``wilayah_provinsi_kabkota_kecamatan.csv`` (kode,nama,level,
kode_induk,...) and ``wilayah_desa_kelurahan.csv`` (kode,nama,kode_kecamatan).
Output: one gzip'd CSV ``code,name,level,parent_code`` sorted by code, levels
provinsi / kabupaten_kota / kecamatan / kelurahan / desa (4th code segment starting
with 1 = kelurahan, otherwise desa). The gzip carries no timestamp, so a rebuild from
the same input is byte-identical.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[3] / "shared" / "data"  # /work/main/../shared/data
OUTPUT = HERE / "wilayah.csv.gz"


def village_level(code: str) -> str:
    return "kelurahan" if code.split(".")[3].startswith("1") else "desa"


def read_rows(source: Path) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    with open(source / "wilayah_provinsi_kabkota_kecamatan.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rows.append((row["kode"], row["nama"].strip(), row["level"], row["kode_induk"]))
    with open(source / "wilayah_desa_kelurahan.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rows.append((row["kode"], row["nama"].strip(), village_level(row["kode"]), row["kode_kecamatan"]))
    rows.sort(key=lambda r: [int(part) for part in r[0].split(".")])
    return rows


def build(source: Path = DEFAULT_SOURCE, output: Path = OUTPUT) -> int:
    rows = read_rows(source)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("code", "name", "level", "parent_code"))
    writer.writerows(rows)
    with open(output, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(buffer.getvalue().encode("utf-8"))
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    count = build(args.source, args.output)
    print(f"wrote {count} regions to {args.output}")


if __name__ == "__main__":
    main()
