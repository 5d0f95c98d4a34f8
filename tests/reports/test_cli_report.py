"""``kitstation report`` and ``kitstation report verify`` end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from kitstation.cli.main import main
from kitstation.log import KitLog
from tests.reports.data import CUSTOMER, ORDER, fill
from tests.reports.test_formats import pdf_text, read_csv


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "k.sqlite3"
    log = KitLog(str(path))
    fill(log)
    log.close()
    return str(path)


def test_pdf_report_of_a_batch_then_verify(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.pdf"
    assert main(["report", "--db", db, "--format", "pdf", "--out", str(out), "--order", ORDER, "--lang", "ja",
                 "--tz", "Asia/Tokyo"]) == 0
    printed = capsys.readouterr().out
    sidecar = (tmp_path / "r.pdf.sha256").read_text(encoding="utf-8").split()[0]
    assert sidecar in printed and "(10 rows)" in printed
    text = pdf_text(out)
    assert "キッティング作業報告書" in text and "結果別台数" in text and CUSTOMER in text
    assert "2026-11-20 09:05:00" in text  # Asia/Tokyo
    for serial in ("F2LXK000Q1GH", "F2LXK003Q1GH", "F2LXKFAILQ1GH", "R58M0000000", "R58M0000003", "R58MFAIL0001"):
        assert serial in text
    assert main(["report", "verify", str(out), "--db", db]) == 0
    assert "verified" in capsys.readouterr().out
    out.write_bytes(out.read_bytes() + b"\n% appended\n")
    assert main(["report", "verify", str(out), "--db", db]) == 1
    assert "FAIL" in capsys.readouterr().out


def test_csv_and_xlsx_from_the_cli_match(db: str, tmp_path: Path) -> None:
    assert main(["report", "--db", db, "-f", "csv", "-o", str(tmp_path / "r.csv"), "--lang", "en", "--tz", "UTC"]) == 0
    assert main(["report", "--db", db, "-f", "xlsx", "-o", str(tmp_path / "r.xlsx"), "--lang", "en",
                 "--tz", "+00:00"]) == 0
    csv_rows = read_csv(tmp_path / "r.csv")
    ws = load_workbook(tmp_path / "r.xlsx").worksheets[1]
    xlsx_rows = list(ws.iter_rows(values_only=True))
    assert [c for c in xlsx_rows[0]] == csv_rows[0]
    assert [r[9] for r in xlsx_rows[1:]] == [r[9] for r in csv_rows[1:]]  # serials, same order
    assert len(csv_rows) == 13


def test_platform_lists_from_the_cli(db: str, tmp_path: Path) -> None:
    assert main(["report", "--db", db, "-f", "abm-csv", "-o", str(tmp_path / "a.csv"), "--abm-columns",
                 "serial,model", "--no-header"]) == 0
    assert (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines()[0] == "F2LXK000Q1GH,iPhone 14 Pro"
    assert main(["report", "--db", db, "-f", "kme-csv", "-o", str(tmp_path / "k.csv")]) == 0
    assert (tmp_path / "k.csv").read_text(encoding="utf-8").splitlines()[0] == "035693803564000,,"


def test_empty_selection_is_a_message_and_an_empty_report(db: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "e.xlsx"
    assert main(["--lang", "ja", "report", "--db", db, "-f", "xlsx", "-o", str(out), "--order", "NONE"]) == 0
    assert "該当する記録はありません" in capsys.readouterr().out
    assert out.is_file()


def test_bad_input_exits_2(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["report", "--db", db, "-f", "docx", "-o", str(tmp_path / "x")])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["report", "--db", db, "-f", "csv", "-o", str(tmp_path / "x"), "--tz", "Mars/Olympus"])
    assert info.value.code == 2
    assert main(["report", "--db", db, "-f", "csv"]) == 2  # no --out
    assert main(["report", "--db", db, "-f", "csv", "-o", str(tmp_path)]) == 2  # a folder
    assert main(["report", "--db", db, "-f", "abm-csv", "-o", str(tmp_path / "a"), "--abm-columns", "pin"]) == 2
    assert main(["report", "--db", db, "-f", "pdf", "-o", str(tmp_path / "p.pdf"), "--pdf-font", "/no/font.ttf"]) == 2
    assert main(["report", "verify", str(tmp_path / "missing.pdf"), "--db", db]) == 2
    err = capsys.readouterr().err
    assert "--format" in err and "cannot use" in err


def test_out_never_replaces_a_fifo_or_a_symlink(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    target = tmp_path / "target.txt"
    target.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    for path in (fifo, link):
        assert main(["report", "--db", db, "-f", "csv", "-o", str(path)]) == 2
        assert "not a regular file" in capsys.readouterr().err
    assert fifo.is_fifo() and link.is_symlink() and target.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "pipe.csv.sha256").exists() and not (tmp_path / "link.csv.sha256").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left
    # A folder that does not exist is refused, not created.
    missing = tmp_path / "no" / "such" / "r.csv"
    assert main(["report", "--db", db, "-f", "csv", "-o", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err and not (tmp_path / "no").exists()


def test_out_dash_is_standard_output(db: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["report", "--db", db, "-f", "csv", "-o", "-", "--column-ids"]) == 0
    captured = capsysbinary.readouterr()
    assert captured.out.startswith(b"\xef\xbb\xbfrun_id,") and captured.out.count(b"\n") == 13
    assert b"(12 rows)" in captured.err and b"SHA-256" not in captured.out
    assert not Path("-").exists() and not (tmp_path / "-").exists()
    assert main(["report", "--db", db, "-f", "pdf", "-o", "-"]) == 2  # a binary format needs a file


def test_a_mistyped_db_path_is_an_error_not_a_new_empty_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no" / "such" / "x.db"
    assert main(["log", "--db", str(missing)]) == 2
    assert "No log at" in capsys.readouterr().err
    assert main(["report", "--db", str(missing), "-f", "csv", "-o", str(tmp_path / "r.csv")]) == 2
    assert not missing.parent.exists() and not (tmp_path / "r.csv").exists()
