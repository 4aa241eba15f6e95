"""The open-data export: tables match the records, files are reproducible and the data package validates."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import REPO
from kb.loader import load
from kb.model import DIRECTIONS, EFFECT_MEASURED, Initiative
from kb.opendata import DOWNLOADS, INITIATIVES, RESULTS, WORKBOOK, collections, downloads_page, record_files
from kb.text import md

FRICTIONLESS = Path(sys.executable).with_name("frictionless")
SCHEMA = Initiative.model_json_schema()


def export(data_dir: Path) -> tuple:
    kb = load(data_dir)
    return kb, {**collections(kb, SCHEMA), **record_files(kb)}  # every download, as kb.generate writes them


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def read_sheet(data: bytes, name: str) -> list[dict]:
    rows = openpyxl.load_workbook(io.BytesIO(data))[name].iter_rows(values_only=True)
    header = next(rows)
    return [dict(zip(header, row, strict=True)) for row in rows]


def write(files: dict[str, bytes], folder: Path) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder / "datapackage.json"


def validate(package: Path) -> tuple[int, dict]:
    proc = subprocess.run([FRICTIONLESS, "validate", "--json", str(package)], capture_output=True, text=True)
    return proc.returncode, json.loads(proc.stdout)


def error_types(report: dict) -> set[str]:
    return {e["type"] for task in report["tasks"] for e in task["errors"]}


def test_one_row_per_initiative_and_per_result(fixture_data):
    kb, files = export(fixture_data)
    initiatives, results = read_csv(files["indsatser.csv"]), read_csv(files["resultater.csv"])
    assert [r["id"] for r in initiatives] == sorted(r.id for r in kb.initiatives)
    assert len(results) == sum(len(r.results) for r in kb.initiatives) > 0
    assert len(read_sheet(files["vidensbase.xlsx"], "indsatser")) == len(kb.initiatives)
    assert len(read_sheet(files["vidensbase.xlsx"], "resultater")) == len(results)


def test_fixture_values_survive_csv(fixture_data):
    _, files = export(fixture_data)
    video = {r["id"]: r for r in read_csv(files["indsatser.csv"])}["vest-video"]
    assert video["region"] == "midtjylland" and video["region_label"] == "Region Midtjylland"
    assert video["target_group.min_age"] == "65" and video["target_group.screening.threshold"] == "31.0"
    assert video["results"] == "4" and video["blueprint.steps"] == "4"
    assert video["intervention.actors"] == "borger-og-paaroerende; udskrivende-afdeling; kommunal-visitator"
    assert video["sources"] == ("tidlig-opfoelgning-2020: "
                                "Vestklyngen: Udskrivelsessamtaler via video (Satspulje-projekt)")
    assert video["cluster_label"] and video["updated"] == ""  # missing values are empty cells
    result = {(r["initiative"], r["result_no"]): r for r in read_csv(files["resultater.csv"])}["vest-video", "3"]
    assert (result["value"], result["unit"], result["n"], result["comparison.value"]) == ("7.9", "procent", "63",
                                                                                           "17.0")
    assert result["design_label"] and result["source.document"] == "tidlig-opfoelgning-2020"


def test_csv_is_plain_utf8_with_newlines(fixture_data):
    _, files = export(fixture_data)
    for name in ("indsatser.csv", "resultater.csv"):
        data = files[name]
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
        assert data.decode("utf-8").splitlines()[0] == ",".join(
            c.name for c in (INITIATIVES if name == "indsatser.csv" else RESULTS).columns)


def test_fixture_values_survive_xlsx_as_numbers(fixture_data):
    kb, files = export(fixture_data)
    rows = read_sheet(files["vidensbase.xlsx"], "resultater")
    title = kb.by_id()["vest-video"].title
    result = next(r for r in rows if r["Indsats"] == title and r["Resultatets nummer"] == 3)
    assert (result["Tal"], result["Antal"], result["Sammenligning – Sammenligningens tal"]) == (7.9, 63, 17)
    assert isinstance(result["Antal"], int) and isinstance(result["Tal"], float)
    book = openpyxl.load_workbook(io.BytesIO(files["vidensbase.xlsx"]))
    assert book.sheetnames == ["indsatser", "resultater"]
    for sheet in book:
        assert sheet.freeze_panes == "A2" and all(c.font.bold for c in sheet[1])


def test_excel_speaks_danish_where_csv_keeps_names_and_codes(fixture_data):
    kb, files = export(fixture_data)
    book = openpyxl.load_workbook(io.BytesIO(files["vidensbase.xlsx"]))
    codes = set(kb.documents) | {r.id for r in kb.initiatives} | {
        t for terms in kb.vocabularies.values() for t in terms} - {
        term.label for terms in kb.vocabularies.values() for term in terms.values()}
    for table in (INITIATIVES, RESULTS):
        header = [c.value for c in book[table.name][1]]
        assert len(header) == len(set(header)) > 5
        # No header is a field name: a dotted path, an underscore or a bare English name.
        assert [h for h in header if h in {c.name for c in table.columns} or "." in h or "_" in h] == []
        values = {str(v) for row in book[table.name].iter_rows(min_row=2, values_only=True) for v in row if v}
        assert values & codes == set(), table.name
    video = next(r for r in read_sheet(files["vidensbase.xlsx"], "indsatser")
                 if r["Indsats"] == kb.by_id()["vest-video"].title)
    assert video["Region"] == kb.label("regions", "midtjylland")
    measured = EFFECT_MEASURED[kb.by_id()["vest-video"].measurement.effect_measured][0]
    assert video["Målgruppe – Nedre aldersgrænse (år)"] == 65 and video["Måling – Effekt målt"] == measured
    assert video["Relaterede indsatser"] == kb.by_id()["horsens-hoftebrud"].title
    results = read_sheet(files["vidensbase.xlsx"], "resultater")
    assert {r["Fund"] for r in results} <= {label for label, _ in DIRECTIONS.values()}
    # CSV keeps the codes for programs.
    assert read_csv(files["indsatser.csv"])[0]["region"] in kb.vocabularies["regions"]


def test_record_text_never_becomes_an_excel_formula(fixture_data):
    record = fixture_data / "projects" / "vest-video.yml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "title: Udskrivelsessamtaler via video", 'title: "=HYPERLINK(\\"https://example.org\\")"'),
        encoding="utf-8")
    _, files = export(fixture_data)
    sheet = openpyxl.load_workbook(io.BytesIO(files["vidensbase.xlsx"]))["indsatser"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("https://example.org")')
    assert cell.data_type == "s"


def test_every_file_is_byte_identical_across_calls(fixture_data):
    _, first = export(fixture_data)
    _, second = export(fixture_data)
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], name
    # two calls may fall in the same second, so also check that nothing in the archive tells the time
    with zipfile.ZipFile(io.BytesIO(first["vidensbase.xlsx"])) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist() == sorted(archive.namelist())
        assert re.findall(rb"<dcterms:\w+ [^>]*>([^<]*)<", archive.read("docProps/core.xml")) == [
            b"2000-01-01T00:00:00Z"] * 2


def test_json_files_and_records(fixture_data):
    kb, files = export(fixture_data)
    everything = json.loads(files["vidensbase.json"])
    assert [r["id"] for r in everything["initiatives"]] == sorted(r.id for r in kb.initiatives)
    first = everything["initiatives"][0]
    assert Initiative.model_validate(first) == kb.by_id()[first["id"]]
    assert everything["vocabularies"].keys() == kb.vocabularies.keys()
    assert {d["id"] for d in everything["documents"]} == set(kb.documents)
    assert files["vidensbase.json"].endswith(b"}\n") and "Følge hjem" in files["vidensbase.json"].decode()
    assert json.loads(files["initiative.schema.json"]) == SCHEMA
    assert {n for n in files if n.startswith("projects/")} == {f"projects/{r.id}.yml" for r in kb.initiatives}
    assert files["projects/vest-video.yml"] == (fixture_data / "projects" / "vest-video.yml").read_bytes()


def test_every_column_has_a_description(fixture_data):
    _, files = export(fixture_data)
    package = json.loads(files["datapackage.json"])
    assert "license" not in package and "licenses" not in package
    for resource in package["resources"]:
        header = files[resource["path"]].decode().splitlines()[0].split(",")
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == header
        assert all(f["description"].strip() for f in fields), resource["name"]


def test_datapackage_validates(fixture_data, tmp_path):
    kb, files = export(fixture_data)
    code, report = validate(write(files, tmp_path / "data"))
    assert code == 0 and report["valid"], error_types(report)
    assert [t["stats"]["rows"] for t in report["tasks"]] == [len(kb.initiatives),
                                                             sum(len(r.results) for r in kb.initiatives)]


@pytest.mark.real_data
def test_datapackage_of_the_real_data_validates(tmp_path):
    _, files = export(REPO / "data")
    code, report = validate(write(files, tmp_path / "data"))
    assert code == 0 and report["valid"], error_types(report)


@pytest.mark.parametrize("column, value, error", [
    ("n", "mange", "type-error"),
    ("initiative", "findes-ikke", "foreign-key"),
])
def test_datapackage_catches_a_bad_value(fixture_data, tmp_path, column, value, error):
    _, files = export(fixture_data)
    rows = read_csv(files["resultater.csv"])
    rows[0][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    files["resultater.csv"] = out.getvalue().encode()
    code, report = validate(write(files, tmp_path / "data"))
    assert code != 0 and not report["valid"]
    assert error in error_types(report)


def test_downloads_page_links_every_file_and_lists_every_column(fixture_data):
    kb, files = export(fixture_data)
    text = downloads_page(kb, files)
    assert text.startswith("(data-og-download)=\n# Data og download\n")
    top = sorted(name for name in files if "/" not in name)
    assert top == sorted(DOWNLOADS)
    for name in top:
        assert f'<a href="../../data/{name}">{name}</a>' in text
    assert "](" not in text  # a markdown link to a non-document would make Sphinx warn
    assert re.search(r"\| \d+,\d kB \|", text)
    for column in (*INITIATIVES.columns, *RESULTS.columns):
        assert f"| {md(column.name)} |" in text and md(column.description) in text
        assert f"| {md(column.header) if column.sheet else '(kun i CSV)'} |" in text
    assert "datapackage.json" in text and "JSON Schema" in text and "YAML" in text


def test_downloads_page_leads_with_the_excel_workbook(fixture_data):
    """Readers get a button for Excel before any word about file formats; the rest is for programs."""
    kb, files = export(fixture_data)
    text = downloads_page(kb, files)
    button = f'<a class="kb-download" href="../../data/{WORKBOOK}" download>Hent Excel</a>'
    assert button in text
    first = min(text.index(f"{name}</a>") for name in DOWNLOADS if name != WORKBOOK)
    assert text.index(button) < text.index("## Til programmer") < first
    assert "CSV" not in text[:text.index("## Til programmer")]
