def test_demo_creates_the_seed_campaign_in_a_fresh_folder(console, tmp_path):
    home = tmp_path / "demo-home"
    result = console("demo", "--home", str(home))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == f"52 requests created in campaign demo-cctv; data folder {home}"
    assert sum(1 for line in lines if "DEMOCCTV-00" in line) == 52
    assert (home / "sightline.sqlite3").exists()
