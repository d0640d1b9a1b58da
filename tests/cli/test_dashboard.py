"""`dtrack dashboard`: how it starts Streamlit (the browser test starts it for real)."""

from __future__ import annotations

import socket
import subprocess
import sys

from click.testing import CliRunner

from dtrack import main
from dtrack.cli.dashboard import APP, streamlit_command
from dtrack.cli.main import load_command


def test_help_ends_with_an_example():
    result = CliRunner().invoke(main, ["dashboard", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "dtrack dashboard --store" in result.output
    assert "127.0.0.1" in result.output


def test_streamlit_runs_the_app_bound_to_the_given_host_and_port(tmp_path):
    argv = streamlit_command(tmp_path, "127.0.0.1", 8555)
    assert argv[:5] == [sys.executable, "-m", "streamlit", "run", str(APP)]
    assert argv[argv.index("--server.address") + 1] == "127.0.0.1"
    assert argv[argv.index("--server.port") + 1] == "8555"
    assert argv[argv.index("--browser.gatherUsageStats") + 1] == "false"
    assert argv[argv.index("--runner.postScriptGC") + 1] == "false"  # no full gc.collect after each run
    assert argv[-3:] == ["--", "--store", str(tmp_path)]
    assert APP.is_file()


def test_default_host_is_loopback():
    param = next(p for p in load_command("dashboard").params if p.name == "host")
    assert param.default == "127.0.0.1"


def test_port_in_use_is_a_clear_error(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["dashboard", "--store", str(tmp_path), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_cli_never_imports_the_dashboard(subprocess_env):
    code = ("import sys, dtrack, cli.dashboard; "
            "bad = [m for m in sys.modules if m == 'dashboard' or m.startswith('dashboard.')]; "
            "assert not bad, bad; assert 'streamlit' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], env=subprocess_env, check=True, timeout=60)


def test_only_this_machines_names_and_the_proxys_are_allowed_hosts(tmp_path):
    from dtrack.cli.dashboard import allowed_hosts

    assert allowed_hosts("127.0.0.1") == ["localhost", "127.0.0.1", "::1"]
    assert allowed_hosts("0.0.0.0", ("Dtrack.Example.org",)) == ["localhost", "127.0.0.1", "::1", "dtrack.example.org"]
    assert allowed_hosts("192.168.1.5")[-1] == "192.168.1.5"
    argv = streamlit_command(tmp_path, "127.0.0.1", 8555, allow_hosts=("dtrack.example.org",))
    given = [argv[i + 1] for i, arg in enumerate(argv) if arg == "--server.allowedHosts"]
    assert given == ["localhost", "127.0.0.1", "::1", "dtrack.example.org"]


def test_a_bad_events_file_is_reported_before_starting(tmp_path):
    bad = tmp_path / "events.csv"
    bad.write_text("date,label\n2022-13-01,not a month\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["dashboard", "--store", str(tmp_path / "s"), "--events", str(bad),
                                       "--port", "1"])
    assert result.exit_code == 1 and str(bad) in result.output and "line 2" in result.output, result.output
    missing = CliRunner().invoke(main, ["dashboard", "--events", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "no such events file" in missing.output
