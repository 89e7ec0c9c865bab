import json


def test_prints_due_date_last(run):
    result = run("deadline", "--law", "foia", "--received", "2021-12-17")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "2022-01-20"


def test_json_shape(run):
    result = run("deadline", "--law", "foisa", "--received", "2022-11-25", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {k: data[k] for k in ("law", "received", "due", "working_days")} == {
        "law": "foisa",
        "received": "2022-11-25",
        "due": "2022-12-28",
        "working_days": 20,
    }
    assert data["skipped"] == [
        {"date": "2022-11-30", "reason": "St Andrew's Day (Scotland)"},
        {"date": "2022-12-26", "reason": "Boxing Day (Scotland)"},
        {"date": "2022-12-27", "reason": "Christmas Day (substitute day) (Scotland)"},
    ]


def test_days_option(run):
    result = run("deadline", "--law", "eir", "--received", "2023-04-28", "--days", "40")
    assert result.stdout.splitlines()[-1] == "2023-06-28"


def test_unknown_law_is_refused(run):
    result = run("deadline", "--law", "gdpr", "--received", "2021-12-17")
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown law 'gdpr': choose one of foia, eir, foisa, eisr\n"
    assert result.stdout == ""


def test_impossible_date_is_refused(run):
    result = run("deadline", "--law", "foia", "--received", "2023-02-29")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --received: '2023-02-29' is not a real date in the form YYYY-MM-DD\n"
    )


def test_zero_days_is_refused(run):
    result = run("deadline", "--law", "foia", "--received", "2023-02-28", "--days", "0")
    assert (result.exit_code, result.stderr) == (
        1,
        "Error: working days must be between 1 and 400, not 0\n",
    )


def test_installed_command(console):
    result = console("deadline", "--law", "foia", "--received", "2021-12-17")
    assert (result.returncode, result.stdout.splitlines()[-1]) == (0, "2022-01-20")
