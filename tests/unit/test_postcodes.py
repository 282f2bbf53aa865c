"""Reading Ordnance Survey's Code-Point Open: every row checked, each wrong one named by its file and line, and
British National Grid eastings and northings turned into the longitude and latitude alerts measure from."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from casework.postcodes import PostcodeFileProblem, csv_files, display, normalise, read

SAMPLE = Path(__file__).parents[1] / "fixtures" / "codepoint_sample.csv"  # rows in the published layout


def test_a_code_point_open_file_gives_each_postcode_where_it_is_in_longitude_and_latitude() -> None:
    found = read("sample.csv", SAMPLE.read_bytes())

    assert found.problems == []
    places = {c.postcode: c for c in found.centroids}
    assert sorted(places) == ["B11BB", "BS14ND", "SW1A1AA", "W1A1AA"]  # "B1  1BB" and "SW1A1AA" both normalised
    palace = places["SW1A1AA"]
    assert (palace.longitude, palace.latitude) == pytest.approx((-0.1416, 51.5010), abs=0.0005)
    assert (palace.eastings, palace.northings, palace.quality) == (529090, 179645, 10)
    assert (palace.district_code, palace.ward_code) == ("E09000033", "E05013806")
    assert places["BS14ND"].longitude == pytest.approx(-2.592, abs=0.002)
    assert found.without_coordinates == 1  # BS1 4NE has quality 90: no coordinates, left out without complaint


def test_each_wrong_row_is_named_by_its_line_and_says_what_is_wrong() -> None:
    text = (
        '"BS1 4ND",10,358836,172870,"E92000001","","","","E06000023","E05010892"\n'
        '"BS1 4NF",10,358836,172870\n'
        '"NOT A PC",10,358836,172870,"E92000001","","","","E06000023","E05010892"\n'
        '"BS1 4NG",35,358836,172870,"E92000001","","","","E06000023","E05010892"\n'
        '"BS1 4NH",10,east,172870,"E92000001","","","","E06000023","E05010892"\n'
        '"BS1 4NJ",10,358836,9999999,"E92000001","","","","E06000023","E05010892"\n'
        '"bs14nd",10,358836,172870,"E92000001","","","","E06000023","E05010892"\n'
    )

    found = read("bs.csv", text.encode())

    assert [str(p) for p in found.problems] == [
        (
            "bs.csv, line 2: has 4 columns; Code-Point Open has 10 (Postcode, Positional_quality_indicator, Eastings, "
            "Northings...) and no header row"
        ),
        "bs.csv, line 3: 'NOT A PC' is not a postcode",
        "bs.csv, line 4: the positional quality indicator is '35'; it must be one of (10, 20, 30, 40, 50, 60, 90)",
        "bs.csv, line 5: the eastings are 'east'; give whole metres from 0 to 700000",
        "bs.csv, line 6: the northings are '9999999'; give whole metres from 0 to 1300000",
        "bs.csv, line 7: BS1 4ND is already on line 1",
    ]
    assert found.centroids == []  # a file with a wrong row gives nothing to load


def test_a_file_that_is_not_text_or_is_empty_is_refused_as_a_whole() -> None:
    with pytest.raises(PostcodeFileProblem, match="is not a text file"):
        read("photo.csv", b"\xff\xd8\xff\xe0 a jpeg")
    with pytest.raises(PostcodeFileProblem, match=r"empty\.csv is empty"):
        read("empty.csv", b"\n")


def test_the_zip_as_downloaded_is_opened_and_its_column_lists_are_not_read_as_postcodes() -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("Data/CSV/bs.csv", SAMPLE.read_bytes())
        archive.writestr("Doc/Code-Point_Open_Column_Headers.csv", "PC,PQ,EA,NO\nPostcode,...\n")
        archive.writestr("Doc/licence.txt", "Open Government Licence")

    files = list(csv_files("codepo_gb.zip", data.getvalue()))

    assert [name for name, _ in files] == ["codepo_gb.zip:bs.csv"]
    assert len(read(*files[0]).centroids) == 4


def test_an_ons_postcode_directory_with_its_header_row_is_read_too() -> None:
    found = read("onspd.csv", b"pcds,lat,long\nBS1 4ND,51.4545,-2.5921\nZZ9 9ZZ,99.999999,0.000000\nBS1 4NE,,\n")

    assert [(c.postcode, c.latitude, c.longitude) for c in found.centroids] == [("BS14ND", 51.4545, -2.5921)]
    assert found.without_coordinates == 2


def test_a_postcode_is_the_same_however_it_is_typed() -> None:
    assert normalise(" bs1  4nd ") == normalise("BS14ND") == "BS14ND"
    assert display("sw1a1aa") == "SW1A 1AA"
