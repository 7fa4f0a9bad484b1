"""Reference seeds (domain-notes §4, document 003, SO12 definitions), the properties YAML of
every seed folder these scripts own, and run_all's discovery.

Figures read by hand: domain-notes §4 lists AFRO 47, AMRO 35, SEARO 11, EURO 53, EMRO 21,
WPRO 27 = 194 Member States; document 003 names eight pilots, "Albania, Cape Verde, Mozambique,
Pakistan, Rwanda, United Republic of Tanzania, Uruguay and Viet Nam", volunteering in 2007.
"""
from collections import Counter

import duckdb
import pytest
import yaml

import dao
import reference
import run_all
import seedio
import so12_definitions

SOURCES = seedio.SOURCES_DIR
OWN_FOLDERS = ("unossc", "csu2008", "reference", "sample", "unverified", "context")


def test_194_member_states_with_per_region_counts():
    rows = reference.member_states(SOURCES)
    assert len(rows) == 194 == len({r["iso3"] for r in rows})
    assert Counter(r["region_code"] for r in rows) == {
        "AFRO": 47, "AMRO": 35, "SEARO": 11, "EURO": 53, "EMRO": 21, "WPRO": 27}
    by_iso = {r["iso3"]: r for r in rows}
    assert by_iso["SSD"]["region_code"] == "AFRO"
    assert by_iso["IDN"]["region_code"] == "SEARO"
    assert by_iso["CIV"]["country_name"] == "Côte d'Ivoire"
    assert "PSE" not in by_iso  # in EMRO on the map but not a Member State


def test_six_regions():
    rows = {r["region_code"]: r for r in reference.regions(SOURCES)}
    assert [(c, r["gho_code"], r["region_name"], r["regional_office_city"], r["member_state_count"])
            for c, r in rows.items()] == [
        ("AFRO", "AFR", "Africa", "Brazzaville", 47),
        ("AMRO", "AMR", "Americas", "Washington DC", 35),
        ("SEARO", "SEAR", "South-East Asia", "New Delhi", 11),
        ("EURO", "EUR", "Europe", "Copenhagen", 53),
        ("EMRO", "EMR", "Eastern Mediterranean", "Cairo", 21),
        ("WPRO", "WPR", "Western Pacific", "Manila", 27)]
    assert rows["AMRO"]["regional_office_alias"] == "PAHO"


def test_biennia_and_programme_periods():
    rows = reference.biennia(SOURCES)
    assert [r["biennium"] for r in rows] == [f"{y}-{y + 1}" for y in range(2004, 2025, 2)]
    periods = {r["biennium"]: r["programme_period"] for r in rows}
    assert periods["2004-2005"] is None and periods["2006-2007"] is None
    assert {periods[b] for b in ("2008-2009", "2010-2011", "2012-2013")} == {"MTSP 2008-2013"}
    assert {periods[b] for b in ("2014-2015", "2016-2017", "2018-2019")} == {"GPW12 2014-2019"}
    assert {periods[b] for b in ("2020-2021", "2022-2023")} == {"GPW13 2019-2023"}
    assert periods["2024-2025"] is None
    assert "[UNVERIFIED]" in rows[-1]["source_ref"]


def test_south_sudan_joins_in_2011():
    assert reference.member_since_year(SOURCES) == {"SSD": 2011}


def test_eight_dao_pilots():
    rows = dao.extract(SOURCES)
    assert [(r["country_name"], r["iso3"], r["region_code"]) for r in rows] == [
        ("Albania", "ALB", "EURO"), ("Cape Verde", "CPV", "AFRO"), ("Mozambique", "MOZ", "AFRO"),
        ("Pakistan", "PAK", "EMRO"), ("Rwanda", "RWA", "AFRO"),
        ("United Republic of Tanzania", "TZA", "AFRO"), ("Uruguay", "URY", "AMRO"),
        ("Viet Nam", "VNM", "WPRO")]
    assert {r["pilot_start_year"] for r in rows} == {2007}
    assert rows[1]["country_name_current"] == "Cabo Verde"


def test_so12_definitions():
    rows = {r["indicator_code"]: r for r in so12_definitions.extract(SOURCES)}
    assert list(rows) == ["12.2.1", "12.2.2"]
    assert (rows["12.2.1"]["unit"], rows["12.2.2"]["unit"]) == ("count", "percent")
    for row in rows.values():
        assert row["owe_code"] == "12.2"
        assert "working definition" in row["definition_status"]
        assert "unverified" in row["definition_status"]
        assert "clear definitions and criteria for regions" in row["csu_request_quote"]
        assert row["csu_request_quote"].endswith("12.2.1 and 12.2.2.")
        assert "country office" in row["denominator_definition"]
    assert "CCS" in rows["12.2.1"]["numerator_definition"]
    assert "leading or active role" in rows["12.2.2"]["numerator_definition"]


@pytest.mark.parametrize("module", [reference, dao, so12_definitions])
def test_committed_csvs_equal_a_fresh_run(module):
    assert seedio.stale_outputs(module.main) == []


@pytest.mark.parametrize("module", [reference, dao, so12_definitions])
def test_two_runs_give_identical_bytes(module, tmp_path):
    module.main(seeds_dir=tmp_path)
    assert seedio.stale_outputs(module.main, seeds_dir=tmp_path) == []


def seed_entries(folder: str):
    """(seed entry, csv path) for every seed of the folder's properties YAML."""
    path = seedio.SEEDS_DIR / folder / f"_{folder}__seeds.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert document["version"] == 2
    return [(entry, path.parent / f"{entry['name']}.csv") for entry in document["seeds"]]


@pytest.mark.parametrize("folder", OWN_FOLDERS)
def test_properties_document_every_column_and_every_csv(folder):
    entries = seed_entries(folder)
    assert {csv.name for _, csv in entries} == {p.name for p in (seedio.SEEDS_DIR / folder).glob("*.csv")}
    for entry, csv_path in entries:
        header = list(seedio.read_csv(csv_path)[0])
        assert [c["name"] for c in entry["columns"]] == header, entry["name"]
        assert list(entry["config"]["column_types"]) == header, entry["name"]
        assert all(c.get("description") for c in entry["columns"]), entry["name"]
        assert entry["description"].strip()


@pytest.mark.parametrize("folder", OWN_FOLDERS)
def test_csvs_load_into_duckdb_with_declared_types(folder):
    """Same strict read_csv options as the warehouse loader, so a bad value fails here first."""
    with duckdb.connect() as con:
        for entry, csv_path in seed_entries(folder):
            types = entry["config"]["column_types"]
            columns = ", ".join(f"'{name}': '{kind}'" for name, kind in types.items())
            count = con.execute(
                f"select count(*) from read_csv('{csv_path}', header = true, delim = ',', "
                f"quote = '\"', escape = '\"', strict_mode = true, auto_detect = false, "
                f"columns = {{{columns}}})").fetchone()[0]
            assert count == len(seedio.read_csv(csv_path)), entry["name"]


def test_sample_descriptions_say_sample():
    for entry, _ in seed_entries("sample"):
        assert entry["description"].startswith("SAMPLE: generated by seeds/extract/sample_data.py, not fact")


def test_run_all_discovers_every_extractor():
    names = run_all.discover()
    assert {"unossc", "csu2008", "dao", "reference", "so12_definitions", "sample_data"} <= set(names)
    assert not {"run_all", "seedio"} & set(names)
