"""The one error the log raises for a database it cannot use, with a bilingual one-line reason.

Every failure of the database itself -- an unknown driver, a server that cannot be reached, a
file that is not an SQLite log, a folder given as the file, a full disk, a lock held past the
wait, a log that does not exist where a read was asked -- reaches callers as :class:`LogError`
(``code`` for scripts, ``reason`` for people), never as a driver's traceback.
"""

from __future__ import annotations

from kitstation.i18n import Text


class LogError(Exception):
    """The kitting log cannot be opened, read or written; ``reason`` says why in one line."""

    def __init__(self, reason: Text, code: str) -> None:
        self.reason = reason
        self.code = code
        super().__init__(reason.en)


def no_log(where: str) -> LogError:
    return LogError(Text(f"No log at {where}", f"{where} に記録（ログ）がありません"), "no_log")


def is_folder(where: str) -> LogError:
    return LogError(
        Text(f"{where} is a folder, not a log file", f"{where} はフォルダーです（記録ファイルではありません）"),
        "is_folder",
    )


def unknown_driver(url: str) -> LogError:
    return LogError(
        Text(
            f"Unknown database in {url}: use an SQLite file or a postgresql:// URL",
            f"{url} のデータベースの種類が不明です: SQLite ファイルか postgresql:// の URL を指定してください",
        ),
        "unknown_driver",
    )


def translate(message: str, where: str) -> LogError | None:
    """A driver's error message as a LogError, when it is a failure of the database itself."""
    text = message.lower()
    if "file is not a database" in text or "file is encrypted" in text:
        return LogError(
            Text(f"{where} is not an SQLite log file", f"{where} は SQLite の記録ファイルではありません"),
            "not_a_database",
        )
    if "database or disk is full" in text or "no space left" in text or "disk full" in text:
        return LogError(
            Text(f"The disk holding the log is full ({where})", f"記録のあるディスクがいっぱいです（{where}）"),
            "disk_full",
        )
    if "database is locked" in text or "lock timeout" in text or "could not obtain lock" in text:
        return LogError(
            Text(
                f"The log is locked by another program (waited 30 s): {where}",
                f"記録が他のプログラムにロックされています（30 秒待機しました）: {where}",
            ),
            "locked",
        )
    if "readonly database" in text or "read-only" in text:
        return LogError(
            Text(f"The log is read-only: {where}", f"記録は読み取り専用です: {where}"),
            "read_only",
        )
    if "unable to open database" in text:
        return LogError(
            Text(f"Cannot open the log file {where}", f"記録ファイル {where} を開けません"),
            "cannot_open",
        )
    if "connection refused" in text or "could not connect" in text or "connection to server" in text or (
        "timeout expired" in text
    ) or "name or service not known" in text or "could not translate host name" in text:
        return LogError(
            Text(f"Cannot reach the database server {where}", f"データベースサーバー {where} に接続できません"),
            "unreachable",
        )
    if "authentication failed" in text or ('database "' in text and "does not exist" in text):
        return LogError(
            Text(f"The database server refused the connection: {where}", f"データベースサーバーが接続を拒否しました: {where}"),
            "refused",
        )
    return None
