"""The authors' guide and the contribution set-up stay true to the model, the Makefile and the tool.

CONTRIBUTING.md documents every field of an initiative record; these tests fail when the model gains,
loses or changes a field the guide does not follow, when a quoted error message is no longer what
``kb validate`` prints, or when a document asks for a make target that does not exist.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from conftest import REPO, kb, make_data_dir
from kb.model import VOCABULARIES, Document, Initiative, SystematicReview, Vocab, VocabTerm, is_model, unwrap

GUIDE = REPO / "CONTRIBUTING.md"
WORKFLOWS = REPO / ".github" / "workflows"
ISSUE_FORM = REPO / ".github" / "ISSUE_TEMPLATE" / "ny-indsats.yml"
FENCED = re.compile(r"```.*?```", re.S)


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def section(heading: str) -> str:
    """The text under a level-2 heading of the guide, up to the next one."""
    return guide().split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


# --- the model's field paths ---------------------------------------------------


def field_paths(model: type[BaseModel] = Initiative, prefix: str = "") -> dict[str, FieldInfo]:
    """Every field path of ``model``, nested ones included; a list of records adds ``[]``."""
    paths: dict[str, FieldInfo] = {}
    for name, info in model.model_fields.items():
        path = prefix + name
        paths[path] = info
        tp = unwrap(info.annotation)[0]
        if typing.get_origin(tp) is list and is_model(item := unwrap(typing.get_args(tp)[0])[0]):
            paths |= field_paths(item, path + "[].")
        elif is_model(tp):
            paths |= field_paths(tp, path + ".")
    return paths


def allowed_values(info: FieldInfo) -> tuple[set[str], set[str]]:
    """The vocabularies and the literal values a field takes, wherever they sit in its annotation."""
    vocabularies: set[str] = set()
    literals: set[str] = set()
    stack = [*info.metadata, info.annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, Vocab):
            vocabularies.add(item.name)
        elif typing.get_origin(item) is typing.Literal:
            literals.update(typing.get_args(item))
        else:
            stack.extend(typing.get_args(item))
    return vocabularies, literals


# --- the guide's field tables ----------------------------------------------------


def field_rows(heading: str = "Felterne i en post") -> dict[str, list[str]]:
    """Rows of the tables under ``heading``: field path -> [required, value, meaning]."""
    rows: dict[str, list[str]] = {}
    text = section(heading) if heading == "Felterne i en post" else guide().split(f"\n### {heading}\n", 1)[1]
    for line in text.split("\n## ", 1)[0].splitlines():
        if not line.startswith("| `"):
            continue
        first, *cells = (cell.strip() for cell in line.strip().strip("|").split("|"))
        path = first.strip("`")
        assert path not in rows, f"{path} står to gange i tabellerne"
        rows[path] = cells
    return rows


TABLES = [("Felterne i en post", Initiative), ("Felterne i en oversigt", SystematicReview)]


@pytest.mark.parametrize(("heading", "model"), TABLES)
def test_guide_documents_exactly_the_model_fields(heading, model):
    documented, fields = set(field_rows(heading)), set(field_paths(model))
    assert not fields - documented, f"felter, som CONTRIBUTING.md ikke forklarer: {sorted(fields - documented)}"
    assert not documented - fields, f"felter, som modellen ikke har: {sorted(documented - fields)}"


@pytest.mark.parametrize(("heading", "model"), TABLES)
def test_guide_states_required_vocabulary_and_values_as_the_model_does(heading, model):
    rows = field_rows(heading)
    for path, info in field_paths(model).items():
        required, value, _ = rows[path]
        assert required.startswith("ja") == info.is_required(), f"{path}: 'Påkrævet' er '{required}'"
        vocabularies, literals = allowed_values(info)
        named = set(re.findall(r"`([a-z_]+)\.yml`", value))
        assert named == vocabularies, f"{path}: ordlisten er {vocabularies or 'ingen'}, tabellen nævner {named}"
        missing = {v for v in literals if f"`{v}`" not in value}
        assert not missing, f"{path}: de tilladte værdier {sorted(missing)} mangler i tabellen"


def test_vocabulary_table_names_the_fields_that_take_each_vocabulary():
    table = {
        name: set(re.findall(r"`([^`]+)`", uses))
        for name, uses in re.findall(r"^\| `([a-z_]+)\.yml` \|(.*)\|$", section("Ordlisterne"), re.M)
    }
    assert set(table) == set(VOCABULARIES)
    for name, uses in table.items():
        fields = {path for path, info in field_paths().items() if name in allowed_values(info)[0]}
        assert uses == fields, f"{name}.yml bruges af {sorted(fields)}, tabellen siger {sorted(uses)}"


@pytest.mark.parametrize(("heading", "model"), [("Sådan henviser du til en kilde", Document),
                                                 ("Ordlisterne", VocabTerm)])
def test_guide_explains_every_field_of_documents_and_terms(heading, model):
    named = set(re.findall(r"`([a-z_]+)`", section(heading)))
    assert not set(model.model_fields) - named


def test_guide_prose_names_no_field_path_the_model_lacks():
    top = set(Initiative.model_fields) | set(SystematicReview.model_fields)
    known = set(field_paths()) | set(field_paths(SystematicReview))
    stale = []
    for token in re.findall(r"`([^`\n]+)`", FENCED.sub("", guide())):
        path = re.sub(r"\[\d+\]", "[]", token)  # results[1].unit names the field results[].unit
        dotted = "." in path or "[]" in path
        if (dotted and re.fullmatch(r"[a-z_]+(\[\])?(\.[a-z_]+(\[\])?)*", path)
                and path.split(".")[0].removesuffix("[]") in top
                and not path.endswith((".yml", ".json")) and path.removesuffix("[]") not in known):
            stale.append(token)
    assert not stale, f"CONTRIBUTING.md nævner felter, som modellen ikke har: {stale}"


def test_guide_links_point_at_its_own_headings():
    text = guide()
    headings = re.findall(r"^#{2,3} (.+)$", FENCED.sub("", text), re.M)
    slugs = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}  # GitHub's anchors
    broken = sorted(set(re.findall(r"\]\(#([^)]+)\)", text)) - slugs)
    assert not broken, f"links uden overskrift: {broken}"


# --- the examples in the guide are what the tool says -----------------------------


def example(key: str) -> str:
    """The fenced block after the marker ``<!-- eksempel: key; ... -->``."""
    match = re.search(rf"<!-- eksempel: {re.escape(key)}[;\s][^>]*-->\n```\w*\n(.*?)```", guide(), re.S)
    assert match, f"eksemplet '{key}' mangler i CONTRIBUTING.md"
    return match.group(1)


def validate_record(tmp_path: Path, record: str):
    data = make_data_dir(tmp_path, projects=None)
    name = yaml.safe_load(record)["id"]
    (data / "projects" / f"{name}.yml").write_text(record, encoding="utf-8")
    return kb("--data", str(data), "validate")


def test_example_record_is_valid(tmp_path):
    proc = validate_record(tmp_path, example("gyldig-post"))
    assert proc.returncode == 0, proc.stderr


def test_quoted_error_messages_are_what_kb_validate_prints(tmp_path):
    proc = validate_record(tmp_path, example("post-med-fejl"))
    assert proc.returncode == 1
    assert proc.stderr == example("beskeder"), "opdater beskederne i CONTRIBUTING.md:\n" + proc.stderr


# --- make targets named anywhere exist ------------------------------------------------


def makefile_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return {name for names in re.findall(r"^([^\s#:=][^:=]*?)\s*:(?!=)", text, re.M) for name in names.split()}


def commands_in(path: Path) -> str:
    """What can be run: all of a YAML file, only the code of a Markdown file (its prose says "GNU make")."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".md":
        return text
    return "\n".join(FENCED.findall(text) + re.findall(r"`([^`\n]+)`", FENCED.sub("", text)))


def test_every_make_target_mentioned_exists():
    targets = makefile_targets()
    assert {"site", "test", "validate", "serve"} <= targets  # the parser finds the README's targets
    documents = [REPO / "README.md", GUIDE, REPO / ".pre-commit-config.yaml", *sorted(WORKFLOWS.glob("*.yml"))]
    missing = sorted(
        f"{path.relative_to(REPO)}: make {name}"
        for path in documents
        for name in re.findall(r"\bmake ([a-z][\w-]*)", commands_in(path))
        if name not in targets
    )
    assert not missing, f"make-mål, som Makefile ikke har: {missing}"


# --- workflows and the issue form ---------------------------------------------------------


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["pr.yml", "pages.yml"])
def test_workflow_builds_and_tests_with_full_history(name):
    steps = [step for job in load_yaml(WORKFLOWS / name)["jobs"].values() for step in job.get("steps", [])]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # page dates come from the git history
    runs = [s.get("run", "") for s in steps]
    git_ok = next(i for i, run in enumerate(runs) if "safe.directory" in run)
    assert git_ok < runs.index("make site") < runs.index("make test")


def test_issue_form_parses_and_requires_a_source():
    form = load_yaml(ISSUE_FORM)
    fields = [item for item in form["body"] if item["type"] != "markdown"]
    ids = [item["id"] for item in fields]
    assert len(ids) == len(set(ids))
    assert all(item["attributes"]["label"] for item in fields)
    source = next(item for item in fields if item["attributes"]["label"] == "Kilde")
    assert source["validations"]["required"] is True
