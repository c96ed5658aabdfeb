"""bandit over community/ and scripts/, with its configuration in pyproject.toml: no finding,
and every check it skips or `# nosec` it meets carries its written reason."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("community", "scripts")
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)$")
TEST_ID = re.compile(r"B\d{3}")


def test_bandit_finds_nothing():
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "-c",
            "pyproject.toml",
            "-r",
            *SCANNED,
            "-f",
            "json",
            "-q",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(run.stdout)
    findings = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report["results"]
    ]
    assert not findings, "\n".join(findings)
    assert not report["errors"], report["errors"]
    assert report["metrics"]["_totals"]["loc"] > 10_000  # it did read the code


def test_every_skipped_check_says_why():
    text = (ROOT / "pyproject.toml").read_text()
    skips = tomllib.loads(text)["tool"]["bandit"]["skips"]
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    for test_id in skips:
        assert any(f"{test_id} (" in line for line in comments), test_id


def test_every_nosec_names_its_checks_and_says_why():
    for path in (p for folder in SCANNED for p in (ROOT / folder).rglob("*.py")):
        source = path.read_text()
        explained = set(TEST_ID.findall(" ".join(re.findall(r"# bandit:.*(?:\n#.*)*", source))))
        for number, line in enumerate(source.splitlines(), start=1):
            found = NOSEC.search(line)
            if not found:
                continue
            ids, _, reason = found["rest"].partition("#")
            named = TEST_ID.findall(ids)
            assert named, f"{path}:{number}: a nosec names the checks it silences"
            assert reason.strip() or set(named) <= explained, f"{path}:{number}: why?"
