"""Japanese and English labels for the dashboard, in one table.

Why one table: a label missing in one language shows up as a failing test
(``tests/dashboard/test_i18n.py`` checks every key has both), not as a
half-translated screen. Widget *values* stay language-neutral codes
("day", "ai", ...) so switching the language never resets a filter; only
what is displayed goes through :func:`tr`.
"""

from __future__ import annotations

LANGUAGES: dict[str, str] = {"en": "English", "ja": "日本語"}
DEFAULT_LANGUAGE = "en"

#: key -> {language: label}. Labels may contain ``{name}`` placeholders.
LABELS: dict[str, dict[str, str]] = {
    # navigation and frame
    "app_title": {"en": "dtrack", "ja": "dtrack"},
    "page_overview": {"en": "Overview", "ja": "概要"},
    "page_timelines": {"en": "Term timelines", "ja": "語の推移"},
    "page_emergence": {"en": "Emergence", "ja": "出現と普及"},
    "page_events": {"en": "Events", "ja": "出来事"},
    "page_posts": {"en": "Posts (KWIC)", "ja": "投稿 (KWIC)"},
    "page_collectors": {"en": "Collectors", "ja": "収集"},
    "language": {"en": "Language", "ja": "言語"},
    "timezone": {"en": "Research timezone", "ja": "調査タイムゾーン"},
    "timezone_help": {
        "en": "Days, weeks and months are cut in this timezone.",
        "ja": "日・週・月の区切りはこのタイムゾーンで行います。",
    },
    "bad_timezone": {
        "en": "Unknown timezone {tz!r}; using {default}.",
        "ja": "不明なタイムゾーン {tz!r}。{default} を使います。",
    },
    "excel": {"en": "CSV for Excel (UTF-8 with BOM)", "ja": "Excel 用 CSV (BOM 付き UTF-8)"},
    "excel_help": {"en": "Same as the CLI's --excel option.", "ja": "CLI の --excel と同じです。"},
    "store": {"en": "Store", "ja": "ストア"},
    "store_version": {"en": "Store version", "ja": "ストアのバージョン"},
    "empty_store": {
        "en": "The store {path} holds no posts yet. Ingest exports on the Collectors page or with `dtrack ingest`.",
        "ja": "ストア {path} にはまだ投稿がありません。「収集」ページか `dtrack ingest` で取り込んでください。",
    },
    "no_hits": {
        "en": "No term hits yet: the posts have not been tagged (run `dtrack tag`).",
        "ja": "語のヒットがまだありません。タグ付けされていません (`dtrack tag` を実行)。",
    },
    "download_csv": {"en": "Download CSV", "ja": "CSV をダウンロード"},
    "download_meta": {"en": "Metadata (.meta.json)", "ja": "メタデータ (.meta.json)"},
    "cli_equivalent": {"en": "Same bytes as: `{command}`", "ja": "CLI で同じ内容: `{command}`"},
    "no_data": {"en": "Nothing matches these filters.", "ja": "条件に合うデータがありません。"},
    # overview
    "posts": {"en": "Posts", "ja": "投稿数"},
    "reposts": {"en": "Reposts", "ja": "リポスト"},
    "hits": {"en": "Term hits", "ja": "語のヒット"},
    "quarantined": {"en": "Quarantined", "ja": "隔離"},
    "sources": {"en": "Sources", "ja": "ソース"},
    "span": {
        "en": "First post {first} · last post {last} (days in {tz})",
        "ja": "最初の投稿 {first} · 最後の投稿 {last} ({tz} の日付)",
    },
    "gap_days": {"en": "Shade gaps of at least (days)", "ja": "欠落として表示する最短日数"},
    "coverage_title": {"en": "Posts per platform", "ja": "プラットフォーム別の投稿数"},
    "coverage_caption": {
        "en": "Stacked by platform. Grey bands (day view) are gaps: runs of days with no posts at all.",
        "ja": "プラットフォーム別の積み上げ。灰色の帯 (日単位の表示) は投稿が一件もない期間 (欠落) です。",
    },
    "gaps_title": {"en": "Coverage gaps", "ja": "データの欠落"},
    "gaps_none": {
        "en": "No gaps: every day between the first and last post has posts.",
        "ja": "欠落なし: 最初と最後の投稿の間のすべての日に投稿があります。",
    },
    "sources_title": {"en": "Sources ingested", "ja": "取り込んだソース"},
    "quarantine_title": {
        "en": "Quarantined records by source and reason",
        "ja": "隔離されたレコード (ソース・理由別)",
    },
    "dictionary_title": {"en": "Dictionary in use", "ja": "使用中の辞書"},
    "dictionary_hash": {
        "en": "Dictionary hash of the stored hits: {hash}",
        "ja": "保存済みヒットの辞書ハッシュ: {hash}",
    },
    "dictionary_stale": {
        "en": "The hits were made with another dictionary ({stored}); the current one is {current}. Run `dtrack tag`"
              " to re-tag.",
        "ja": "ヒットは別の辞書 ({stored}) で作られました。現在の辞書は {current} です。`dtrack tag` で再タグ付けし"
              "てください。",
    },
    # shared filters
    "freq": {"en": "Period", "ja": "期間の単位"},
    "freq_day": {"en": "day", "ja": "日"},
    "freq_week": {"en": "week", "ja": "週"},
    "freq_month": {"en": "month", "ja": "月"},
    "terms": {"en": "Terms", "ja": "語"},
    "term": {"en": "Term", "ja": "語"},
    "measure": {"en": "Measure", "ja": "指標"},
    "measure_posts": {"en": "count", "ja": "件数"},
    "measure_share_per_10k": {"en": "per 10k posts", "ja": "1 万件あたり"},
    "measure_authors": {"en": "authors", "ja": "投稿者数"},
    "context": {"en": "Context", "ja": "文脈"},
    "context_any": {"en": "any", "ja": "すべて"},
    "context_help": {
        "en": "any: every use; ai: only uses in AI context (the CLI's --context).",
        "ja": "any: すべての使用。ai: AI の文脈での使用のみ (CLI の --context)。",
    },
    "context_ai": {"en": "AI context only", "ja": "AI の文脈のみ"},
    "platforms": {"en": "Platforms (none = all)", "ja": "プラットフォーム (空欄 = すべて)"},
    "include_reposts": {"en": "Include reposts", "ja": "リポストを含める"},
    "date_range": {"en": "Date range", "ja": "期間"},
    "date_from": {"en": "From", "ja": "開始日"},
    "date_to": {"en": "To", "ja": "終了日"},
    "scale": {"en": "Scale", "ja": "目盛り"},
    "scale_linear": {"en": "linear", "ja": "線形"},
    "scale_log": {"en": "log", "ja": "対数"},
    "event_kinds": {"en": "Event markers (by kind)", "ja": "出来事の表示 (種類別)"},
    "rule": {"en": "Counting rule: {rule}", "ja": "集計規則: {rule}"},
    # timelines
    "timeline_title": {"en": "Uses per period", "ja": "期間ごとの使用"},
    "pick_terms": {"en": "Pick one or more terms.", "ja": "語を一つ以上選んでください。"},
    "period_posts_title": {"en": "Posts behind a point", "ja": "点の内訳となる投稿"},
    "period_posts_help": {
        "en": "Click a point in the chart, or choose a term and a period here.",
        "ja": "グラフの点をクリックするか、ここで語と期間を選んでください。",
    },
    "period": {"en": "Period", "ja": "期間"},
    "share_note": {
        "en": "Shares divide by all stored posts in the period: meaningless for keyword-search exports, which hold o"
              "nly matching posts.",
        "ja": "割合はその期間に保存された全投稿数で割っています。キーワード検索で集めたデータでは意味を持ちません。",
    },
    "hover_first_posts": {"en": "first posts", "ja": "最初の投稿"},
    # emergence
    "emergence_title": {"en": "When each term was born and took off", "ja": "各語の誕生と普及"},
    "emergence_help": {
        "en": "Dates link to their evidence posts; select a row to list them here. first_seen_censored: the "
              "first use comes with no data in the week before it, so the word may be older than the data.",
        "ja": "日付はその根拠となる投稿へのリンクです。行を選ぶとここに一覧します。first_seen_censored: 初出の前の"
              "1週間にデータがないため、語はデータより古い可能性があります。",
    },
    "adoption_title": {
        "en": "Adoption: cumulative unique authors (dashed line: takeoff)",
        "ja": "普及: 累計投稿者数 (破線: 離陸日)",
    },
    "burst_model": {"en": "Burst model", "ja": "バーストモデル"},
    "burst_model_help": {
        "en": "poisson: daily counts; binomial: daily share of all posts (for sampled stores). Same as --burst-model.",
        "ja": "poisson: 日別件数。binomial: 全投稿に占める割合 (標本ストア向け)。--burst-model と同じです。",
    },
    "min_days": {"en": "Shortest takeoff burst (days)", "ja": "離陸とみなす最短バースト (日)"},
    "uses_before": {"en": "Count uses before (optional)", "ja": "この日より前の使用数 (任意)"},
    "evidence_for": {"en": "Evidence for {term}", "ja": "{term} の根拠"},
    "which_date": {"en": "Date", "ja": "日付"},
    "first_seen": {"en": "first use", "ja": "初出"},
    "first_ai_seen": {"en": "first AI use", "ja": "AI 文脈の初出"},
    "takeoff": {"en": "takeoff", "ja": "離陸"},
    "peak": {"en": "peak", "ja": "ピーク"},
    # events
    "event_study_title": {
        "en": "Event study: uses per day before and after each event",
        "ja": "イベントスタディ: 出来事の前後の一日あたり使用数",
    },
    "window": {"en": "Window (days before and after)", "ja": "窓 (前後の日数)"},
    "event": {"en": "Event", "ja": "出来事"},
    "around_event": {"en": "Daily uses around the event", "ja": "出来事の前後の日別使用数"},
    "xcorr_title": {"en": "Cross-correlation of two terms' daily uses", "ja": "二語の日別使用数の相互相関"},
    "term_a": {"en": "Term A", "ja": "語 A"},
    "term_b": {"en": "Term B", "ja": "語 B"},
    "max_lag": {"en": "Largest lag (days)", "ja": "最大ラグ (日)"},
    "xcorr_note": {
        "en": "A peak at a positive lag means B follows A by that many days.",
        "ja": "正のラグでの山は、B が A よりその日数だけ遅れて動くことを示します。",
    },
    "no_events": {"en": "No events file found.", "ja": "出来事ファイルがありません。"},
    # posts
    "posts_title": {"en": "Posts with a term, in context", "ja": "語を含む投稿 (文脈つき)"},
    "limit": {"en": "Most rows", "ja": "最大件数"},
    "showing": {"en": "{shown:,} of {total:,} posts", "ja": "{total:,} 件中 {shown:,} 件"},
    "rows_shown": {"en": "{shown:,} posts, oldest first", "ja": "{shown:,} 件 (古い順)"},
    "limit_reached": {
        "en": "The limit is reached: there may be more. Raise it or narrow the filters.",
        "ja": "上限に達しました。続きがある可能性があります。上限を上げるか条件を絞ってください。",
    },
    "no_runs": {"en": "No scheduled runs yet.", "ja": "スケジュール実行の記録はまだありません。"},
    "scheduler_running": {"en": "Scheduler running: {who}", "ja": "スケジューラー実行中: {who}"},
    "scheduler_stopped": {
        "en": "No scheduler is running for this store (start one with `dtrack scheduler`).",
        "ja": "このストアのスケジューラーは動いていません (`dtrack scheduler` で起動)。",
    },
    "col_time": {"en": "time", "ja": "日時"},
    "col_left": {"en": "before", "ja": "前文脈"},
    "col_match": {"en": "term", "ja": "語"},
    "col_right": {"en": "after", "ja": "後文脈"},
    "col_evidence": {"en": "AI cues", "ja": "AI の手がかり"},
    "col_author": {"en": "author", "ja": "投稿者"},
    "col_url": {"en": "original", "ja": "元の投稿"},
    "col_platform": {"en": "platform", "ja": "プラットフォーム"},
    "col_text": {"en": "full text", "ja": "全文"},
    # collectors
    "ingest_title": {"en": "Ingest from the server's disk", "ja": "サーバーのディスクから取り込む"},
    "ingest_path": {"en": "File or folder path on the server", "ja": "サーバー上のファイルまたはフォルダのパス"},
    "ingest_format": {"en": "Format", "ja": "形式"},
    "auto_detect": {"en": "detect from content", "ja": "内容から判定"},
    "ingest_button": {"en": "Ingest", "ja": "取り込む"},
    "ingest_missing": {"en": "No such file or folder: {path}", "ja": "ファイルまたはフォルダがありません: {path}"},
    "ingest_locked": {"en": "The store is busy: {message}", "ja": "ストアは使用中です: {message}"},
    "ingest_done": {
        "en": "{sources} source(s): {new:,} new, {duplicate:,} duplicates, {quarantined:,} quarantined, {failed} fai"
              "led.",
        "ja": "{sources} 件のソース: 新規 {new:,}、重複 {duplicate:,}、隔離 {quarantined:,}、失敗 {failed}。",
    },
    "tagged": {
        "en": "Tagged {posts:,} posts ({hits:,} hits).",
        "ja": "{posts:,} 件の投稿をタグ付け (ヒット {hits:,} 件)。",
    },
    "schedule_title": {"en": "Schedules", "ja": "スケジュール"},
    "ledger_title": {"en": "Run history", "ja": "実行履歴"},
    "no_schedules": {
        "en": "No schedules (add one with `dtrack schedule add`).",
        "ja": "スケジュールはありません (`dtrack schedule add` で追加)。",
    },
    "quarantine_records_title": {"en": "Quarantined records", "ja": "隔離されたレコード"},
    "no_quarantine": {"en": "Nothing quarantined.", "ja": "隔離されたレコードはありません。"},
}

def tr(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The label ``key`` in ``lang`` (English if that language lacks it), formatted with ``values``."""
    entry = LABELS[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text
