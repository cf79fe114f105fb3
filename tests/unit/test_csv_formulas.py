"""No cell of an exported CSV can start a formula in Excel: values, list values, column headings, whatever
the record holds; the kiosk's day export and the office's download are the same CSV."""

import csv
import io

import pytest

from kiosk.core.daylog import FORMULA_STARTS, to_csv
from office_support import ADMIN_PASSWORD, KIOSK, office, record  # noqa: F401 (fixture)

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\n=1+1", "\uff1d1+1",
           "=HYPERLINK(\"http://evil.example\")"]


def cells(text):
    return [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";") for cell in row]


def assert_no_formula(text):
    starting = [cell for cell in cells(text) if cell.startswith(FORMULA_STARTS)]
    assert starting == []


def hostile_record(**changes):
    data = {"adults": 2, "reasons": [HOSTILE[0], "coffee"], "text": HOSTILE[1]}
    data.update({value: "x" for value in HOSTILE})  # as column headings
    data.update({f"k{n}": value for n, value in enumerate(HOSTILE)})
    data["nested"] = {"=a": HOSTILE[2]}
    return record(data=data, location=HOSTILE[3], **changes)


def test_no_cell_of_the_kiosks_csv_starts_a_formula_values_lists_or_headings():
    text = to_csv([hostile_record(), hostile_record(type="=bad")])
    assert_no_formula(text)
    shown = cells(text)
    assert any(cell.startswith("'=cmd|' /C calc'!A0, ") for cell in shown)  # a list value
    assert "'\t=1+1" in shown and "'\r=1+1" in shown  # a leading TAB or CR
    assert "'=HYPERLINK(\"http://evil.example\")" in shown  # a heading
    assert "2" in shown and "-3" in cells(to_csv([record(data={"n": -3})]))  # numbers stay numbers


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_kept_as_text(start):
    assert_no_formula(to_csv([record(data={"text": start + "1+1", start + "k": [start + "v"]})]))


def test_the_office_csv_download_protects_every_cell_too(office):
    sent = [hostile_record(), *(record(location=value) for value in HOSTILE)]
    answer = office.upload(sent).json()
    assert len(answer["accepted"]) >= len(HOSTILE), answer  # the office may refuse odd data, not a place
    download = office.get(f"/export/{KIOSK}/2027-04-20.csv", staff=True)
    assert download.status_code == 200
    assert_no_formula(download.content.decode("utf-8"))
