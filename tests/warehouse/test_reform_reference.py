"""Dimensions built from real reference data (domain-notes §4, document 003)."""
from __future__ import annotations

DAO_PILOTS = {"ALB", "CPV", "MOZ", "PAK", "RWA", "TZA", "URY", "VNM"}
REGION_COUNTS = {"AFRO": 47, "AMRO": 35, "SEARO": 11, "EURO": 53, "EMRO": 21, "WPRO": 27}


def test_194_member_states(reform_db):
    assert reform_db.execute("select count(*), count(distinct iso3) from dim_country").fetchone() == (194, 194)


def test_member_states_per_region(reform_db):
    assert dict(reform_db.execute("select region_code, count(*) from dim_country group by 1").fetchall()) == REGION_COUNTS
    assert dict(reform_db.execute("select region_code, member_states from dim_region").fetchall()) == REGION_COUNTS


def test_eight_delivering_as_one_pilots(reform_db):
    pilots = {r[0] for r in reform_db.execute("select iso3 from dim_country where is_dao_pilot").fetchall()}
    assert pilots == DAO_PILOTS
    assert reform_db.execute("select dao_pilot_name_printed, country_name from dim_country where iso3 = 'CPV'"
                             ).fetchone() == ("Cape Verde", "Cabo Verde")
    assert reform_db.execute("select sum(dao_pilots) from dim_region").fetchone()[0] == 8


def test_mtsp_biennia(reform_db):
    got = [r[0] for r in reform_db.execute("select biennium from dim_biennium where is_mtsp_2008_2013 order by 1").fetchall()]
    assert got == ["2008-2009", "2010-2011", "2012-2013"]
