"""Counted messages: English singular for exactly one, Japanese in its one form."""

from __future__ import annotations

from kitstation.i18n import Text


def test_count_picks_the_english_form_by_number_and_fills_both_languages() -> None:
    texts = [Text.count(n, "{n} package disabled", "{n} packages disabled", "{n} 個のパッケージを無効化しました")
             for n in (0, 1, 2)]
    assert [t.en for t in texts] == ["0 packages disabled", "1 package disabled", "2 packages disabled"]
    assert texts[1].ja == "1 個のパッケージを無効化しました"
    named = Text.count(1, "{p}: {n} permission granted", "{p}: {n} permissions granted", "{p}: {n} 件", p="jp.x")
    assert (named.en, named.ja) == ("jp.x: 1 permission granted", "jp.x: 1 件")
