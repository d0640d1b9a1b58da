"""The term dictionary: the default file, merging, replacing, hashing and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from dtrack.nlp.terms import DEFAULT_TERMS, TermsFileError, add_term, load_terms

REQUIRED = ["無断学習", "無断転載", "mimic", "画像生成AI", "AI絵師", "AIイラスト", "自作発言", "学習禁止", "NovelAI",
            "Stable Diffusion", "Midjourney", "LoRA", "LAION", "Danbooru", "pixiv", "Glaze", "反AI"]


def write(tmp_path: Path, text: str, name: str = "extra.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_dictionary_has_the_required_terms() -> None:
    terms = load_terms()
    names = [t.canonical for t in terms.terms]
    assert set(REQUIRED) <= set(names)
    assert len(names) == len(set(names))
    assert {"AI", "画像生成", "学習させ", "モデル", "プロンプト", "Stable Diffusion"} <= set(terms.cues)
    assert terms.get("無断学習").exclusions == ("無断学習塾",)
    assert terms.get("mimic").ai_only and terms.get("Glaze").ai_only and not terms.get("無断学習").ai_only


def test_readings_are_generated_from_unidic() -> None:
    term = load_terms().get("無断学習")
    assert {"ムダンガクシュウ", "ムダンガクシュー", "むだんがくしゅう"} <= set(term.readings)
    # a term with an unknown word (AI) gets no generated reading
    assert load_terms().get("AI絵師").readings == ()


def test_lookup_by_any_spelling() -> None:
    terms = load_terms()
    assert terms.get("ミミック").canonical == "mimic"
    assert terms.get("ＭＩＭＩＣ").canonical == "mimic"
    assert terms.get("#無断学習").canonical == "無断学習"
    assert terms.get("ムダンガクシュウ").canonical == "無断学習"
    assert terms.get("nothing like this") is None


def test_hash_is_stable_and_ignores_comments(tmp_path: Path) -> None:
    base = load_terms()
    assert load_terms().hash == base.hash
    text = DEFAULT_TERMS.read_text(encoding="utf-8")
    commented = write(tmp_path, "# a comment\n\n" + text.replace("note = ", "# x\nnote = ", 1), "copy.toml")
    assert load_terms(commented, replace=True).hash == base.hash
    changed = write(tmp_path, text.replace('exclusions = ["無断学習塾"]', "exclusions = []"), "changed.toml")
    assert load_terms(changed, replace=True).hash != base.hash


def test_merge_overrides_adds_and_removes(tmp_path: Path) -> None:
    path = write(tmp_path, """
[ai_context]
cues = ["生成系"]

[[term]]
canonical = "mimic"
category = "service"
variants = ["ミミック"]
ai_only = false

[[term]]
canonical = "トレパク"
category = "practice"
variants = ["トレース盗用"]

[[term]]
canonical = "Glaze"
remove = true
""")
    base = load_terms()
    merged = load_terms(path)
    names = [t.canonical for t in merged.terms]
    assert "トレパク" in names and "Glaze" not in names
    assert merged.get("mimic").ai_only is False
    assert merged.cues[: len(base.cues)] == base.cues and merged.cues[-1] == "生成系"
    assert merged.hash != base.hash
    assert merged.overlay == {"name": str(path), "toml": path.read_text(encoding="utf-8"), "replace": False}


def test_replace_uses_only_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, """
[ai_context]
cues = ["AI"]

[[term]]
canonical = "無断学習"
category = "rights"
""")
    terms = load_terms(path, replace=True)
    assert [t.canonical for t in terms.terms] == ["無断学習"]
    assert terms.cues == ["AI"]


def test_replace_cues(tmp_path: Path) -> None:
    path = write(tmp_path, '[ai_context]\ncues = ["生成AI"]\nreplace_cues = true\n')
    assert load_terms(path).cues == ["生成AI"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[term]\ncanonical = 'x'\n", "line 1"),
        ("[[term]]\ncanonical = 'x'\ncategory = 'a'\nvariant = ['y']\n", "unknown key(s) ['variant']"),
        ("[[term]]\ncanonical = 'x'\n", "needs a 'category'"),
        ("[[term]]\ncategory = 'a'\n", "needs a non-empty 'canonical'"),
        ("[[term]]\ncanonical = 'x'\ncategory = 'a'\n[[term]]\ncanonical = 'x'\ncategory = 'b'\n", "listed twice"),
        ("[[term]]\ncanonical = 'x'\ncategory = 'a'\nai_only = 'yes'\n", "ai_only must be true or false"),
        ("[[term]]\ncanonical = 'x'\ncategory = 'a'\nvariants = [1]\n", "variants must be a list of strings"),
        ("[[term]]\ncanonical = 'x'\ncategory = 'a'\nvariants = ['   ']\n", "empty string"),
        ("[[term]]\ncanonical = 'nope'\nremove = true\n", "cannot remove 'nope'"),
        ("[context]\ncues = ['AI']\n", "unknown top-level key(s) ['context']"),
    ],
)
def test_errors_name_file_term_and_problem(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text, "bad.toml")
    with pytest.raises(TermsFileError) as err:
        load_terms(path)
    assert str(path) in str(err.value)
    assert message in str(err.value)


def test_term_number_in_error(tmp_path: Path) -> None:
    path = write(tmp_path, "[[term]]\ncanonical = 'a'\ncategory = 'x'\n[[term]]\ncanonical = 'b'\n", "bad.toml")
    with pytest.raises(TermsFileError, match=r"term #2 \(b\)"):
        load_terms(path)


def test_missing_file_and_replace_without_file(tmp_path: Path) -> None:
    with pytest.raises(TermsFileError, match="cannot read"):
        load_terms(tmp_path / "missing.toml")
    with pytest.raises(TermsFileError, match="needs a dictionary file"):
        load_terms(None, replace=True)
    with pytest.raises(TermsFileError, match="no terms"):
        load_terms(write(tmp_path, "version = 1\n"), replace=True)


def test_naming_the_default_file_means_the_default() -> None:
    terms = load_terms(DEFAULT_TERMS, replace=True)
    assert terms.overlay is None and terms.hash == load_terms().hash


VERSION_1 = """
version = 1
[ai_context]
cues = ["AI"]

[[term]]
canonical = "トレパク"
category = "practice"
variants = ["トレース盗用"]
exclusions = ["トレパク疑惑"]
ai_only = false
note = "a file written for format 1"
"""


def test_a_format_1_file_stays_valid_and_means_what_it_meant(tmp_path: Path) -> None:
    terms = load_terms(write(tmp_path, VERSION_1), replace=True)
    (term,) = terms.terms
    assert (term.context, term.ai_always, term.cased) == ((), False, ())
    from dtrack.nlp.tagger import tag_texts

    assert [(h["term"], h["ai_context"]) for h in tag_texts(["トレパクはだめ", "AIでトレパク"], terms)[0]] == [
        ("トレパク", False)]
    assert [(h["term"], h["evidence"]) for h in tag_texts(["AIでトレパク"], terms)[0]] == [("トレパク", ["AI"])]


def test_format_2_keys_are_read_hashed_and_listed(tmp_path: Path) -> None:
    text = VERSION_1.replace('note = "a file written for format 1"', 'context = ["絵師"]\nai_always = true')
    terms = load_terms(write(tmp_path, text), replace=True)
    assert terms.terms[0].context == ("絵師",) and terms.terms[0].ai_always
    assert terms.hash != load_terms(write(tmp_path, VERSION_1, "v1.toml"), replace=True).hash
    entry = terms.as_dict()["terms"][0]
    assert entry["context"] == ["絵師"] and entry["ai_always"] is True and entry["cased"] == []
    default = load_terms()
    assert default.get("Midjourney").ai_always and "Mid Journey" in default.get("Midjourney").cased
    assert "絵師" in default.get("無断学習").context


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('context = "絵師"\ncontext = 3', "not valid TOML"),
        ("context = [1]", "context must be a list of strings"),
        ('ai_always = "yes"', "ai_always must be true or false"),
        ('cased = ["Nothing"]', "cased entry 'Nothing' is not the canonical form or a variant"),
        ('cased = ["トレース盗用"]', "has no letters that have a case"),
    ],
)
def test_format_2_errors_name_the_term(tmp_path: Path, extra: str, message: str) -> None:
    path = write(tmp_path, VERSION_1 + extra + "\n", "bad2.toml")
    with pytest.raises(TermsFileError) as err:
        load_terms(path, replace=True)
    assert str(path) in str(err.value) and message in str(err.value)
    if "TOML" not in message:
        assert "(トレパク)" in str(err.value)


def test_add_term_appends_to_the_users_file_and_it_loads(tmp_path: Path) -> None:


    path = tmp_path / "mine" / "terms.toml"
    add_term(path, "無断学習禁止", variants=["無断学習禁止", "#無断学習禁止"])
    add_term(path, "お絵描きチャレンジ", note='from "Rising words"')
    merged = load_terms(path)
    term = merged.get("無断学習禁止")
    assert term is not None and term.category == "discovered" and term.variants == ("無断学習禁止", "#無断学習禁止")
    assert merged.get("お絵描きチャレンジ") is not None and merged.get("無断転載") is not None  # merged
    with pytest.raises(TermsFileError, match="already in"):
        add_term(path, "無断学習禁止")


def test_add_term_never_writes_the_shipped_dictionary() -> None:


    before = DEFAULT_TERMS.read_bytes()
    with pytest.raises(TermsFileError, match="shipped"):
        add_term(DEFAULT_TERMS, "無断学習禁止")
    assert DEFAULT_TERMS.read_bytes() == before
