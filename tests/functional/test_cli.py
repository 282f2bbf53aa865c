"""The `casework` command: the installed console script in a subprocess where it matters how it starts and
exits, and click's in-process runner (the same code, without a second of start-up each time) elsewhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from casework.cli import admin, cli, data, periods, policy, workflows
from tests.registers import BOROUGH_COLUMN_CSV, BOROUGH_HEADERS, BOROUGH_ROWS, as_xlsx, with_reasons
from workflows.periods import RULES

COMMANDS = (admin, data, periods, policy, workflows)  # importing them registers their commands on `cli`

CASEWORK = shutil.which("casework", path=str(Path(sys.executable).parent)) or "casework"


def run_script(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The console script itself, as a user's shell runs it."""
    environment = {**os.environ}
    environment.pop("DATABASE_URL", None)
    if db is not None:
        environment["DATABASE_URL"] = f"sqlite:///{db}"
    return subprocess.run([CASEWORK, *args], capture_output=True, text=True, env=environment, timeout=120, check=False)


def run(*args: str, db: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """The same command in-process; returns what a subprocess would, so tests read the same either way."""
    environment = {"DATABASE_URL": f"sqlite:///{db}" if db else "sqlite:///:memory:", **env}
    result = CliRunner().invoke(cli, list(args), env=environment)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    ok(run("db", "upgrade", db=path))
    return path


def test_the_full_moratorium_from_a_friday_notice_ends_on_4_march_2026() -> None:
    answer = json.loads(ok(run_script("deadline", "moratorium.full", "2025-09-05", "--json")))
    assert answer["due"] == "2026-03-04"
    assert answer["due_time"] is None
    assert answer["basis"] == "LA 2011 s.95(3)(b), (6)"


def test_every_rule_id_answers_with_a_due_date_a_basis_and_an_explanation() -> None:
    for rule_id in RULES:
        answer = json.loads(ok(run("deadline", rule_id, "2026-01-30", "--json")))
        assert answer["rule"] == rule_id and answer["start"] == "2026-01-30"
        assert answer["due"] >= "2026-01-30" and answer["basis"] and answer["explanation"]
        assert "due_time" in answer


def test_the_tribunal_deadline_text_gives_the_time_and_the_reasoning() -> None:
    out = ok(run("deadline", "acv.tribunal_appeal", "2025-11-27"))
    assert "Due: Monday 29 December 2025, before 17:00" in out
    assert "Friday 26 December 2025 is a bank holiday (Boxing Day)" in out


def test_bad_arguments_get_one_clear_sentence_and_a_non_zero_exit() -> None:
    unknown = run_script("deadline", "moratorium.fortnight", "2025-09-05")
    assert unknown.returncode == 1
    assert (
        unknown.stderr.strip()
        == "Error: there is no period rule called 'moratorium.fortnight'; `casework rules` lists them"
    )
    bad_date = run_script("deadline", "moratorium.full", "5/9/2025")
    assert bad_date.returncode == 2 and "is not a date; write it as YYYY-MM-DD" in bad_date.stderr
    for result in (unknown, bad_date):
        assert "Traceback" not in result.stderr


def test_the_timeline_prints_all_three_moratorium_dates() -> None:
    out = ok(run("timeline", "moratorium", "2025-08-31"))
    assert "Interim moratorium ends:  Saturday 11 October 2025" in out
    assert "Full moratorium ends:     Saturday 28 February 2026" in out
    assert "Protected period ends:    Sunday 28 February 2027" in out


def test_a_command_on_an_empty_database_says_to_run_the_migrations(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    result = run_script("sweep", db=empty)
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: the database has no tables yet: run `casework db upgrade` first"


def test_a_command_that_only_reads_never_creates_a_database_where_it_is_run(tmp_path: Path) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [CASEWORK, "deadline", "moratorium.full", "2025-09-05", "--council", "BDC"],
        capture_output=True, text=True, env=environment, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: there is no database at var/casework.db: run `casework db upgrade` to create it, or set DATABASE_URL"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("deadline", "moratorium.protected", "9999-12-01"), "9999-12-01 is too late to count from"),
        (("timeline", "moratorium", "9999-12-01"), "9999-12-01 is too late to count from"),
    ],
)
def test_a_start_date_too_late_to_count_from_gets_one_sentence(args: tuple[str, ...], message: str) -> None:
    result = run_script(*args)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Error: {message}") and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "period"),
    [
        (("deadline", "moratorium.full", "2011-01-01"), "moratorium.full (Full moratorium)"),
        (("timeline", "moratorium", "2011-01-01"), "moratorium.interim (Interim moratorium)"),
    ],
)
def test_a_start_before_the_rule_existed_gets_one_sentence_with_the_commencement_date(
    args: tuple[str, ...], period: str
) -> None:
    result = run_script(*args)
    assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"Error: The period {period} cannot run from Saturday 1 January 2011: it came into force on Friday "
        "21 September 2012, when the assets of community value regime commenced (ACV Regs (SI 2012/2421), in force "
        "21 September 2012; LA 2011 Part 5 Ch.3)"
    )


def test_the_first_day_of_the_regime_is_a_start_the_deadline_counts_from() -> None:
    answer = json.loads(ok(run("deadline", "moratorium.full", "2012-09-21", "--json")))
    assert (answer["due"], answer["version"], answer["effective_from"]) == ("2013-03-20", 1, "2012-09-21")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x/y", "Error: DATABASE_URL names a mysql database: casework runs on SQLite or PostgreSQL"),
        (
            "notaurl",
            (
                "Error: DATABASE_URL is not a database URL: write it like sqlite:///var/casework.db or "
                "postgresql://user@host/db"
            ),
        ),
        (
            "postgresql+pg8000://x@127.0.0.1/y",
            "Error: DATABASE_URL needs the database driver pg8000, which is not installed",
        ),
    ],
)
def test_a_database_url_casework_cannot_use_is_explained_in_one_sentence(url: str, message: str) -> None:
    result = subprocess.run(
        [CASEWORK, "db", "upgrade"], capture_output=True, text=True, env={**os.environ, "DATABASE_URL": url},
        timeout=120, check=False,
    )  # fmt: skip
    assert (result.returncode, result.stderr.strip()) == (1, message)


def test_a_database_missing_on_the_postgresql_server_is_named_with_how_to_create_it() -> None:
    from tests.conftest import PG_DEFAULT

    server = make_url(os.environ.get("TEST_DATABASE_URL", PG_DEFAULT)).set(database="casework_no_such_database")
    result = subprocess.run(
        [CASEWORK, "db", "upgrade"], capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "DATABASE_URL": server.render_as_string(hide_password=False)},
    )  # fmt: skip
    if "cannot connect" in result.stderr:
        pytest.skip("PostgreSQL is not running here")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        'Error: the database "casework_no_such_database" does not exist on the server: create it (for example '
        '`createdb casework_no_such_database`, or CREATE DATABASE "casework_no_such_database" in psql), then run '
        "`casework db upgrade`"
    )


def test_the_sweep_reports_the_time_it_swept_as(database: Path) -> None:
    out = ok(run("sweep", "--now", "2026-01-01T00:00:00Z", db=database))
    assert out.startswith("2026-01-01 00:00:00Z fired 0")


def test_an_officer_without_a_council_is_refused_in_good_english(database: Path) -> None:
    result = run(*("create-user", "--email", "o@x.gov.uk", "--name", "O", "--role", "officer"), db=database,
                 CASEWORK_PASSWORD="a long enough password")  # fmt: skip
    assert (result.returncode, result.stderr.strip()) == (1, "Error: An officer must belong to a council")


def test_demo_data_loads_once_and_the_sweep_runs_over_it(database: Path) -> None:
    first = ok(run("demo-data", db=database))
    assert "Loaded demo data for Borsetshire District Council (BDC)" in first
    assert "officer@borsetshire.example.gov.uk" in first
    assert "Demo data is already loaded" in ok(run("demo-data", db=database))
    assert "fired 0" in ok(run("sweep", "--now", "2026-01-01T00:00:00Z", db=database))
    assert "fired" in ok(run("sweep", db=database))


def test_workflows_are_listed_and_drawn(database: Path) -> None:
    assert "moratorium     version 1" in ok(run("workflows"))
    diagram = ok(run("diagram", "moratorium"))
    assert (
        "stateDiagram-v2" in diagram
        and "interim_moratorium --> full_moratorium: Record a request to be treated as a potential bidder" in diagram
    )
    missing = run("diagram", "bingo")
    assert missing.returncode == 1 and "There is no workflow called 'bingo'" in missing.stderr


def test_a_council_and_a_user_are_created_and_a_duplicate_is_refused(database: Path) -> None:
    ok(run("create-council", "BDC", "Borsetshire District Council", db=database))
    ok(run("create-council", "FCC", "Felpersham City Council", "--neighbour", "BDC", db=database))
    args = (
        "create-user",
        "--email",
        "Olivia@Example.gov.uk",
        "--name",
        "Olivia",
        "--role",
        "officer",
        "--council",
        "BDC",
    )
    out = ok(run(*args, db=database, CASEWORK_PASSWORD="a long enough password"))
    assert "Created Olivia <olivia@example.gov.uk> as officer" in out
    again = run(*args, db=database, CASEWORK_PASSWORD="a long enough password")
    assert again.returncode == 1 and "already a user with the email address olivia@example.gov.uk" in again.stderr
    short = run(*args[:-2], "--council", "FCC", db=database, CASEWORK_PASSWORD="short")
    assert short.returncode == 1 and "Password must be 10 characters or more" in short.stderr


def test_a_register_is_imported_after_a_dry_run_and_an_invalid_one_loads_nothing(
    database: Path, tmp_path: Path
) -> None:
    ok(run("create-council", "BDC", "Borsetshire District Council", db=database))
    good = tmp_path / "register.csv"
    good.write_text(
        "reference,name,address-text,decision,decision-date,date-listed,reasons\n"
        "ACV/1,The Plough,1 Church Lane,listed,2024-05-02,2024-05-02,\n"
        "ACV/2,The Stores,2 High Street,not-listed,2025-02-03,,Closed for years\n",
        encoding="utf-8",
    )
    dry = ok(run("import-register", str(good), "--council", "BDC", "--dry-run", db=database))
    assert "Checked 2 row(s) as 2 listing(s): nothing loaded (dry run)" in dry
    assert "Loaded 2 row(s) as 2 listing(s)" in ok(run("import-register", str(good), "--council", "BDC", db=database))

    bad = tmp_path / "bad.csv"
    bad.write_text("reference,name,address-text,decision\nACV/3,,3 Lane,maybe\n", encoding="utf-8")
    result = run("import-register", str(bad), "--council", "BDC", db=database)
    assert result.returncode == 1
    assert "line 2: ACV/3 INVALID" in result.stdout
    assert "error: name is empty" in result.stdout
    assert "error: decision 'maybe' is not one of: listed, not-listed" in result.stdout
    assert "1 invalid row(s); nothing was loaded" in result.stderr

    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    nothing = run("import-register", str(empty), "--council", "BDC", db=database)
    assert (nothing.returncode, nothing.stderr.strip()) == (
        1,
        f"Error: {empty}: The file is empty or has no header row; nothing was loaded",
    )


def test_a_scottish_register_import_is_refused_with_the_law_that_says_why(database: Path, tmp_path: Path) -> None:
    ok(run("create-council", "GLB", "Glenbogle Council", "--nation", "scotland", db=database))
    register = tmp_path / "register.csv"
    register.write_text(
        "reference,name,address-text,decision,decision-date,date-listed,reasons\n"
        "ACV/1,The Plough,1 Church Lane,listed,2024-05-02,2024-05-02,\n",
        encoding="utf-8",
    )
    refused = run("import-register", str(register), "--council", "GLB", db=database)
    assert refused.returncode == 1
    assert "Listing land as an asset of community value is not law in Scotland" in refused.stderr
    assert "(LA 2011 s.239; ACV Regs reg.1(2))" in refused.stderr


def test_a_council_holiday_is_added_and_listed(database: Path) -> None:
    ok(run("create-council", "BDC", "Borsetshire District Council", db=database))
    assert "Added Monday 15 June 2026 (Jubilee); 0 pending deadline(s) moved" in ok(
        run("holidays", "add", "--council", "BDC", "2026-06-15", "Jubilee", db=database)
    )
    ok(run("holidays", "add", "--council", "BDC", "2026-06-16", "Proclaimed", "--bank-holiday", db=database))
    listed = ok(run("holidays", "list", "--council", "BDC", db=database))
    assert "Monday 15 June 2026 (closure day)" in listed and "Tuesday 16 June 2026 (bank holiday)" in listed
    unknown = run("holidays", "list", "--council", "ZZZ", db=database)
    assert unknown.returncode == 1 and "There is no council with the code 'ZZZ'" in unknown.stderr


def test_a_user_made_with_a_token_can_call_the_api_with_it(database: Path, tmp_path: Path) -> None:
    from casework.db import Database
    from tests.functional.web.conftest import make_app

    ok(run("create-council", "BDC", "Borsetshire District Council", db=database))
    out = ok(
        run(
            *("create-user", "--email", "robot@bdc.example.gov.uk", "--name", "Register robot"),
            *("--role", "officer", "--council", "BDC", "--token", "nightly export"),
            db=database,
            CASEWORK_PASSWORD="a long enough password",
        )
    )
    token = out.rsplit(": ", 1)[1].strip()
    db = Database(f"sqlite:///{database}")
    try:
        client = make_app(db, tmp_path).test_client()
        allowed = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
        refused = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}x"})
    finally:
        db.dispose()
    assert allowed.status_code == 200 and allowed.json is not None and allowed.json["cases"] == []
    assert refused.status_code == 401 and refused.content_type == "application/problem+json"


def test_a_policy_is_published_from_a_file_listed_and_a_broken_one_refused(database: Path, tmp_path: Path) -> None:
    ok(run("create-council", "BDC", "Borsetshire District Council", db=database))
    example = tmp_path / "policy.json"
    example.write_text(ok(run("policies", "example", "cat_dorset_style")), encoding="utf-8")
    published = ok(run("policies", "publish", "--council", "BDC", "--workflow", "asset_transfer",
                       "--effective-from", "2026-04-01", str(example), db=database))  # fmt: skip
    assert "as version 1 of BDC's asset_transfer policy, for cases starting on or after 2026-04-01" in published
    listed = ok(run("policies", "list", "--council", "BDC", db=database))
    assert "asset_transfer  version 1   from 2026-04-01      0 cases  Example asset transfer policy" in listed
    assert "(example)" in listed
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"title": "Ours", "periods": {}}), encoding="utf-8")
    refused = run("policies", "publish", "--council", "BDC", "--workflow", "challenge", str(broken), db=database)
    assert refused.returncode == 1 and "Give the length of the period 'decision'" in refused.stderr
    assert "List the services open to challenge" in refused.stderr
    broken.write_text("{not json", encoding="utf-8")
    garbled = run("policies", "publish", "--council", "BDC", "--workflow", "challenge", str(broken), db=database)
    assert garbled.returncode == 1 and "is not valid JSON" in garbled.stderr


def test_a_policy_period_needs_the_council_whose_policy_sets_it_and_is_explained_from_that_policy(
    database: Path, tmp_path: Path
) -> None:
    alone = run("deadline", "policy.enquiry_reply", "2026-05-01", db=database)
    assert alone.returncode == 1 and "a period a council's own policy sets, not the law: give --council" in alone.stderr
    ok(run("create-council", "BDC", "Borsetshire District Council", db=database))
    example = tmp_path / "policy.json"
    example.write_text(ok(run("policies", "example", "cat_dorset_style")), encoding="utf-8")
    ok(run("policies", "publish", "--council", "BDC", "--workflow", "asset_transfer", "--effective-from",
           "2026-04-01", str(example), db=database))  # fmt: skip
    early = run("deadline", "policy.enquiry_reply", "2026-03-01", "--council", "BDC", db=database)
    assert early.returncode == 1 and "has no policy in force on 2026-03-01 that sets a period" in early.stderr
    answer = json.loads(ok(run("deadline", "policy.eoi_assessment", "2026-05-01", "--council", "BDC", "--json",
                               db=database)))  # fmt: skip
    assert answer["due"] == "2026-07-01"  # two months after 1 May, the receipt day not counted
    assert answer["basis"].startswith("Example asset transfer policy modelled on Dorset Council's CAT Policy")
    assert "(version 1): stage 1: within two months of receipt" in answer["basis"]
    assert "after the date the council received the expression of interest" in answer["explanation"][0]
    assert not any("Dodds v Walker" in step for step in answer["explanation"])


def test_a_register_in_a_councils_own_layout_loads_from_xlsx_through_a_digital_land_column_csv(
    database: Path, tmp_path: Path
) -> None:
    ok(run("create-council", "BDC", "Borsetshire District Council", db=database))
    headers, rows = with_reasons(BOROUGH_HEADERS, BOROUGH_ROWS)
    register = tmp_path / "register.xlsx"
    register.write_bytes(as_xlsx(headers, rows))
    columns = tmp_path / "column.csv"
    columns.write_text(BOROUGH_COLUMN_CSV, encoding="utf-8")

    loaded = run("import-register", str(register), "--council", "BDC", "--columns", str(columns), db=database)

    assert loaded.returncode == 0, loaded.stderr
    assert "column 'Date Nomination Received': nomination-date" in loaded.stdout
    assert "line 4: BORACV02 merged into line 3" in loaded.stdout
    assert "Loaded 4 row(s) as 3 listing(s)" in loaded.stdout
    assert "Loading" in loaded.stderr  # the progress bar


def test_a_mapping_file_naming_no_field_is_refused_before_anything_loads(database: Path, tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text("Ref,Name\nA,B\n", encoding="utf-8")
    columns = tmp_path / "column.csv"
    columns.write_text("dataset,endpoint,resource,field\nasset-of-community-value,,,name\n", encoding="utf-8")

    result = run("import-register", str(register), "--council", "BDC", "--columns", str(columns), db=database)

    assert (result.returncode, result.stderr.strip()) == (
        1,
        f"Error: {columns}: the mapping file has no column column (digital-land column.csv format); nothing was loaded",
    )


def test_postcodes_load_from_code_point_open_files_and_a_bad_file_exits_non_zero_naming_its_lines(
    database: Path, tmp_path: Path
) -> None:
    sample = Path(__file__).parents[1] / "fixtures" / "codepoint_sample.csv"
    loaded = ok(run("load-postcodes", str(sample), db=database))
    assert f"{sample}: 4 postcode(s)" in loaded
    assert "Loaded 4 postcode(s); 1 without coordinates (quality 90) left out" in loaded

    bad = tmp_path / "bs.csv"
    bad.write_text('"BS1 4ND",10,358836,172870,"E92000001","","","","E06000023","E05010892"\n"BS1 4NX",ten,1,2\n')
    refused = run("load-postcodes", str(bad), db=database)
    assert refused.returncode == 1
    assert f"{bad}, line 2: has 4 columns; Code-Point Open has 10" in refused.stderr
    assert refused.stderr.strip().endswith("Error: 1 row could not be read; nothing was loaded")

    picture = tmp_path / "map.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    unreadable = run("load-postcodes", str(picture), db=database)
    assert (unreadable.returncode, unreadable.stderr.strip()) == (
        1,
        f"Error: {picture} is not a text file: give the CSV files from Code-Point Open; nothing was loaded",
    )
