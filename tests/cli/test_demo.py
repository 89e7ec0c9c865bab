def test_demo_creates_the_seed_campaign_in_a_fresh_folder(console, tmp_path):
    home = tmp_path / "demo-home"
    result = console("demo", "--home", str(home))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == f"52 requests created in campaign demo-cctv; data folder {home}"
    assert sum(1 for line in lines if "DEMOCCTV-00" in line) == 52
    assert (home / "sightline.sqlite3").exists()


def test_init_uses_sqlite_in_wal_mode(console, tmp_path):
    import sqlite3

    result = console("init")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == (
        "Built-in authorities: 53 added, 0 updated, 0 unchanged"
    )
    database = tmp_path / "console-home" / "sightline.sqlite3"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    again = console("init")
    assert again.stdout.splitlines()[1] == "Built-in authorities: 0 added, 0 updated, 53 unchanged"
