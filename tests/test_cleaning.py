"""Cleaning on inputs built here: page dumps, HTML, JSONL, WARC, encodings."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from extractors.cleaning import clean_text, is_ticker, parse_fr_date, recurring_lines
from extractors.readers import discover
from extractors.stages import read_and_clean
from extractors.textnorm import normalize_text, unmarkdown

BODY = ("La Banque africaine de développement (BAD) a approuvé un prêt de 120 millions de dollars pour "
        "moderniser les réseaux d'irrigation de la région du Souss, au profit de 12.000 agriculteurs.\n"
        "Le programme sera mis en œuvre entre 2025 et 2028 par l'Office régional de mise en valeur agricole.")
TICKER = "\u00a0\u00a0\u00a0\u00a0".join(["Un titre de la veille", "Encore un autre titre", "Sport : un match nul",
                                          "Météo du week-end", "Another headline in English"])


def page(title="La BAD finance l'irrigation du Souss", publisher="Le Journal Test", day="03 - 02 - 2025",
         body=BODY, trailer=""):
    return (f"{TICKER}\n\n\n\nMerci d'avoir signalé!\nCette image sera automatiquement bloquée après qu'elle soit "
            f"signalée par plusieurs personnes.\n\n\n{title}\nPublié dans {publisher} le {day}\n\n{body}\n"
            f"{trailer}\n\nCliquez ici pour lire l'article depuis sa source.\n")


def test_page_dump_metadata_and_exact_body():
    c = clean_text(normalize_text(page()))
    assert c.title == "La BAD finance l'irrigation du Souss"
    assert c.publisher == "Le Journal Test"
    assert c.published == date(2025, 2, 3)
    assert c.body == BODY


def test_trailer_read_more_credit_tags():
    body = BODY + " … Lire la suite : https://example.ma/depeche/42"
    c = clean_text(normalize_text(page(body=body, trailer="Le Journal Test : LA MAP\nTags\nLa BAD finance")))
    assert c.url == "https://example.ma/depeche/42"
    assert c.agency == "LA MAP"
    assert c.body.endswith("mise en valeur agricole. …")
    for junk in ("Lire la suite", "Tags", "LA MAP", "Cliquez ici", "Merci d'avoir", "Un titre de la veille"):
        assert junk not in c.body


def test_ticker_detector():
    assert is_ticker(normalize_text(TICKER))
    assert not is_ticker("Une phrase normale,   avec des espaces en trop.")


def test_recurring_lines_are_found_per_dump():
    texts = [f"Titre {i}\nAbonnez-vous au journal papier\nCorps {i} unique" for i in range(5)]
    assert recurring_lines(texts) == {"abonnez-vous au journal papier"}
    assert recurring_lines(texts[:2]) == set()


def body(i: int) -> str:
    return BODY.replace("120", str(120 + i)).replace("2028", str(2028 + i))


def test_jsonl_boilerplate_dropped_and_title_kept(tmp_path: Path):
    recs = [{"id": f"r{i}", "title": f"Titre numéro {i}", "published": "2024-05-0" + str(i + 1),
             "url": f"https://ex.ma/{i}",
             "text": f"Accueil > Economie\nTitre numéro {i}\n{body(i)}\nPUBLICITÉ\nLire aussi : autre chose\n"
                     f"Offre spéciale : 3 mois gratuits sur notre site\n© Ex 2024 - Tous droits réservés"}
            for i in range(4)]
    f = tmp_path / "crawl.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n{broken\n", encoding="utf-8")
    prep = read_and_clean([f])
    assert [a.record_id for a in prep.articles] == ["r0", "r1", "r2", "r3"]
    a = prep.articles[0]
    assert a.title == "Titre numéro 0" and a.url == "https://ex.ma/0" and a.published_date == date(2024, 5, 1)
    assert a.body == body(0)
    assert [r.reason for r in prep.rejects] == ["bad_json"]


@pytest.mark.parametrize("name, content", [
    ("crawl.ndjson", lambda recs: "\n".join(json.dumps(r) for r in recs)),
    ("export.json", lambda recs: json.dumps(recs, indent=2)),  # an array, pretty-printed
    ("export.json", lambda recs: json.dumps({"count": 2, "articles": recs})),  # an object holding the list
    ("lines.json", lambda recs: "\n".join(json.dumps(r) for r in recs)),  # one record a line, named .json
])
def test_records_in_other_json_files(tmp_path: Path, name, content):
    recs = [{"id": f"r{i}", "title": f"Titre numéro {i}", "published": "2024-05-01", "text": body(i)} for i in range(2)]
    f = tmp_path / name
    f.write_text(content(recs), encoding="utf-8")
    prep = read_and_clean(discover([tmp_path]))
    assert [(a.record_id, a.body) for a in prep.articles] == [("r0", body(0)), ("r1", body(1))]


def test_gzipped_dumps_are_read_as_what_they_hold(tmp_path: Path):
    """A crawl often arrives as '.jsonl.gz'; a truncated archive keeps the records before the cut."""
    import gzip

    recs = [{"id": f"r{i}", "title": f"Titre numéro {i}", "published": "2024-05-01", "text": body(i)} for i in range(3)]
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs).encode()
    (tmp_path / "crawl.jsonl.gz").write_bytes(gzip.compress(lines))
    (tmp_path / "page.txt.gz").write_bytes(gzip.compress(page(title="Les élèves de l'école d'été", body=BODY).encode()))
    cut = gzip.compress(lines * 400)
    (tmp_path / "cut.jsonl.gz").write_bytes(cut[:len(cut) // 2])
    (tmp_path / "notes.gz").write_bytes(gzip.compress(b"x"))  # no known format inside: not a dump
    prep = read_and_clean(discover([tmp_path]))
    by_file: dict[str, list] = {}
    for a in prep.articles:
        by_file.setdefault(Path(a.source_path).name, []).append(a)
    assert [a.record_id for a in by_file["crawl.jsonl.gz"]] == ["r0", "r1", "r2"]
    assert [a.body for a in by_file["page.txt.gz"]] == [BODY]
    assert 0 < len(by_file["cut.jsonl.gz"]) < 1200  # the records before the cut (duplicates of each other)
    assert [(Path(r.source_path).name, r.reason) for r in prep.rejects
            if r.reason != "duplicate"] == [("cut.jsonl.gz", "unreadable")]


def test_a_record_s_entities_and_stray_tags_are_read_as_text(tmp_path: Path):
    """A crawl keeps the page's entities ('L&#039;Office') or a paragraph tag in a text field."""
    escaped = body(0).replace("'", "&#039;").replace(" ", "&nbsp;", 1)
    recs = [{"id": "e", "title": "Titre d&#039;essai", "text": escaped},
            {"id": "t", "title": "Titre numéro 1", "text": body(1) + " <p>Le projet démarre en janvier.</p>"}]
    f = tmp_path / "c.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    a, b = read_and_clean([f]).articles
    assert (a.title, a.body) == ("Titre d'essai", body(0))
    assert b.body.startswith(body(1).split("\n")[0]) and b.body.endswith("Le projet démarre en janvier.")


def test_a_record_title_ending_in_the_site_its_address_names(tmp_path: Path):
    recs = [{"id": "a", "url": "https://www.ecotest24.ma/x", "title": "Titre numéro 0 - EcoTest24", "text": body(0)},
            {"id": "b", "url": "https://www.ecotest24.ma/y", "title": "Maroc - Espagne : un accord signé",
             "text": body(1)}]
    f = tmp_path / "s.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    a, b = read_and_clean([f]).articles
    assert (a.title, a.publisher) == ("Titre numéro 0", "EcoTest24")
    assert (b.title, b.publisher) == ("Maroc - Espagne : un accord signé", None)  # no site after the dash


def test_what_stands_above_a_record_s_own_title_in_its_text_is_the_site_s_head(tmp_path: Path):
    text = ("Le Courrier Test - L'actualité économique du Sahel\nLa SNTest double sa production de coton\n"
            "Bamako, 3 juin 2025 - La Société nationale test a produit 40.000 tonnes de coton cette saison, "
            "deux fois plus que l'an dernier, selon son directeur.\nLes exportations suivront en juillet.")
    f = tmp_path / "s.jsonl"
    f.write_text(json.dumps({"id": "a", "title": "La SNTest double sa production de coton", "text": text,
                             "source": "Le Courrier Test"}, ensure_ascii=False) + "\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert a.body.startswith("Bamako, 3 juin 2025 - La Société nationale test") and a.dateline_chars > 0
    assert "actualité économique du Sahel" not in a.body


def test_a_single_json_record_and_a_broken_json_file(tmp_path: Path):
    (tmp_path / "one.json").write_text(json.dumps({"title": "Titre numéro 0", "text": body(0)}), encoding="utf-8")
    (tmp_path / "broken.json").write_text('[{"title": "Titre", "text": "abc"', encoding="utf-8")
    prep = read_and_clean(discover([tmp_path]))
    assert [a.body for a in prep.articles] == [body(0)]
    assert [(Path(r.source_path).name, r.reason) for r in prep.rejects] == [("broken.json", "bad_json")]


HTML = """<html><head><title>T</title><meta property="og:site_name" content="Eco Test">
<meta property="article:published_time" content="2024-11-22"><link rel="canonical" href="https://eco.test/a">
</head><body><nav><a>Accueil</a><a>Economie</a></nav><article><h1>La CDG investit 2 MMDH à Tanger</h1>
<p>La Caisse de dépôt et de gestion (CDG) a annoncé un investissement de 2 milliards de dirhams dans une zone
industrielle à Tanger, qui accueillera 40 entreprises d'ici 2027.</p>
<p>Le projet doit créer 5.000 emplois, selon un communiqué publié lundi par l'institution financière.</p>
</article><footer>© 2024 Eco Test. Tous droits réservés</footer></body></html>"""


def test_html_through_trafilatura(tmp_path: Path):
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert a.title == "La CDG investit 2 MMDH à Tanger"
    assert a.publisher == "Eco Test" and a.url == "https://eco.test/a" and a.published_date == date(2024, 11, 22)
    assert a.body.startswith("La Caisse de dépôt") and "Tous droits" not in a.body and "Accueil" not in a.body


def test_warc_html_records(tmp_path: Path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    f = tmp_path / "crawl.warc.gz"
    with f.open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        for i, body in enumerate([HTML, HTML.replace("Tanger", "Kénitra")]):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            rec = w.create_warc_record(f"https://eco.test/{i}", "response", payload=io.BytesIO(body.encode()),
                                       http_headers=headers)
            w.write_record(rec)
    prep = read_and_clean([f])
    assert [a.url for a in prep.articles] == ["https://eco.test/a", "https://eco.test/a"]
    assert [a.record_id for a in prep.articles] == ["https://eco.test/0", "https://eco.test/1"]
    assert "Kénitra" in prep.articles[1].body


def test_cp1252_and_mojibake(tmp_path: Path):
    text = page(title="Les élèves de l'école d'été", body=BODY)
    (tmp_path / "cp.txt").write_bytes(text.encode("cp1252", errors="replace"))
    (tmp_path / "moji.txt").write_bytes(text.encode("utf-8").decode("latin-1").encode("utf-8"))
    prep = read_and_clean(discover([tmp_path]))
    assert len(prep.articles) == 2
    for a in prep.articles:
        assert a.title == "Les élèves de l'école d'été"
        assert "développement" in a.body and "Ã" not in a.body


def test_reading_loads_ftfy_only_for_a_text_with_mojibake():
    # a third of the readers' import time, paid before every `depeche extract` forks its reader
    code = ("import sys\nimport extractors.stages\nassert 'ftfy' not in sys.modules\n"
            "from extractors.textnorm import normalize_text\n"
            "assert normalize_text('un été calme') == 'un été calme' and 'ftfy' not in sys.modules\n"
            "assert normalize_text('le dÃ©veloppement') == 'le développement' and 'ftfy' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parent.parent)


def test_utf16_and_utf32_exports_are_text_not_binary(tmp_path: Path):
    import gzip

    text = page(title="Les élèves de l'école d'été", body=BODY)
    (tmp_path / "bom16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "le16.txt").write_bytes(text.encode("utf-16-le"))  # no byte-order mark
    (tmp_path / "bom32.txt").write_bytes(text.encode("utf-32"))
    (tmp_path / "zipped.txt").write_bytes(gzip.compress(text.encode()))
    prep = read_and_clean(discover([tmp_path]))
    assert [a.title for a in prep.articles] == ["Les élèves de l'école d'été"] * 3
    assert all(a.body == BODY for a in prep.articles)
    assert [(Path(r.source_path).name, r.reason) for r in prep.rejects] == [("zipped.txt", "binary")]


def test_spaces_normalised_offsets_consistent():
    raw = page(body=BODY.replace("120 millions", "120\u202fmillions").replace("12.000", "12\u00a0000"))
    c = clean_text(normalize_text(raw))
    assert "\u00a0" not in c.body and "\u202f" not in c.body and "12 000 agriculteurs" in c.body


def test_non_french_and_duplicates_and_bad_files(tmp_path: Path):
    (tmp_path / "a.txt").write_text(page(), encoding="utf-8")
    (tmp_path / "b.txt").write_text(page(publisher="Autre Journal", day="04 - 02 - 2025"), encoding="utf-8")
    near = BODY.replace("approuvé", "validé")
    (tmp_path / "c.txt").write_text(page(publisher="Troisième", body=near), encoding="utf-8")
    en = ("The African Development Bank approved a loan of 120 million dollars to modernise irrigation networks "
          "in the Souss region, which will benefit twelve thousand farmers over the next four years.")
    (tmp_path / "d.txt").write_text(page(title="AfDB loan", body=en), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "short.txt").write_text("Rien.", encoding="utf-8")
    prep = read_and_clean(discover([tmp_path]))
    by = {Path(a.source_path).name: a for a in prep.articles}
    assert by["d.txt"].language == "en" and by["a.txt"].language == "fr"
    assert by["b.txt"].duplicate_of == by["a.txt"].article_id  # exact copy, other publisher
    assert by["c.txt"].duplicate_of == by["a.txt"].article_id  # near copy
    assert by["a.txt"].duplicate_of is None
    reasons = {Path(r.source_path).name: r.reason for r in prep.rejects}
    assert reasons == {"empty.txt": "empty", "bin.txt": "binary", "short.txt": "no_article", "d.txt": "not_french"}


def test_a_record_whose_crawler_joined_every_line_keeps_its_article(tmp_path: Path):
    """One line: the headline ticker joined by runs of spaces no longer takes the
    article with it."""
    flat = TICKER + "    " + BODY.replace("\n", " ")
    f = tmp_path / "flat.jsonl"
    f.write_text(json.dumps({"id": "f", "title": "La BAD finance l'irrigation du Souss", "text": flat},
                            ensure_ascii=False) + "\n", encoding="utf-8")
    prep = read_and_clean([f])
    assert not prep.rejects and [a.title for a in prep.articles] == ["La BAD finance l'irrigation du Souss"]
    assert all(sentence in prep.articles[0].body for sentence in BODY.split("\n"))


def test_a_page_dump_on_one_line_keeps_its_headline_date_and_rights_line(tmp_path: Path):
    """A whole page joined by runs of spaces: the menu stays one line to drop, the headline,
    byline and date above the first paragraph become lines again, and so does the rights line."""
    flat = ("Accueil    Economie    Finance    Régions    Le Journal Test    Finance    "
            "La BAD finance l'irrigation du Souss    Par Karim Alaoui    Le 12/03/2025 à 10h05    "
            + BODY.replace("\n", "    ") + "    Les plus lus    Bourse : le MASI recule    © Le Journal Test 2025")
    (tmp_path / "flat.txt").write_text(flat, encoding="utf-8")
    (a,) = read_and_clean([tmp_path / "flat.txt"]).articles
    assert (a.title, a.published_date, a.author, a.publisher) == (
        "La BAD finance l'irrigation du Souss", date(2025, 3, 12), "Karim Alaoui", "Le Journal Test")
    assert a.body == BODY


@pytest.mark.parametrize("menu", ["Accueil Economie ", ""])
def test_a_record_on_one_line_with_single_spaces_loses_its_menu_title_and_date(tmp_path: Path, menu):
    """No run of spaces to cut at: the record's title in the first words ends the page's
    part, and the date after it is the publication line, not a date fact in the body."""
    title = "La BAD finance l'irrigation du Souss"
    flat = f"{menu}{title} Publié le 12/03/2025 à 10h00 " + BODY.replace("\n", " ")
    f = tmp_path / "flat.jsonl"
    f.write_text(json.dumps({"id": "f", "title": title, "text": flat}, ensure_ascii=False) + "\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.title, a.body) == (title, BODY)


def test_a_records_dump_of_any_size_is_read_record_by_record(tmp_path: Path):
    """The size bound is one article's: a crawl of thousands of records passes it, a
    huge record or a huge page is rejected alone."""
    from extractors.readers import ReadFailure, read_file
    from extractors.textnorm import MAX_BYTES

    body = (BODY + "\n") * 8
    recs = [json.dumps({"id": f"r{i}", "text": f"Dépêche {i}\n{body}"}, ensure_ascii=False) for i in range(3000)]
    recs.insert(7, json.dumps({"id": "huge", "text": "mot " * (MAX_BYTES // 3)}))
    crawl = tmp_path / "crawl.jsonl"
    crawl.write_text("\n".join(recs) + "\n", encoding="utf-8")
    assert crawl.stat().st_size > 2 * MAX_BYTES
    got = list(read_file(crawl))
    failures = [g.error.reason for g in got if isinstance(g, ReadFailure)]
    assert len(got) == 3001 and failures == ["too_large"] and got[3000].record_id == "r2999"
    page = tmp_path / "page.txt"
    page.write_text("mot " * (MAX_BYTES // 3), encoding="utf-8")
    assert [g.error.reason for g in read_file(page)] == ["too_large"]


def test_a_body_too_long_for_one_article_is_rejected_and_the_others_are_read(tmp_path: Path):
    """Under the file bound, over what one article can be: spaCy would refuse it (or the NER
    take gigabytes), and the whole batch with it."""
    from extractors.cleaning import MAX_BODY_CHARS

    (tmp_path / "report.txt").write_text("Un rapport\n12 mars 2025\n" + (BODY + "\n") * (MAX_BODY_CHARS // len(BODY) + 1),
                                         encoding="utf-8")
    (tmp_path / "news.txt").write_text("La BAD finance l'irrigation du Souss\n12 mars 2025\n" + BODY, encoding="utf-8")
    prep = read_and_clean(discover([tmp_path]))
    assert [a.title for a in prep.articles] == ["La BAD finance l'irrigation du Souss"]
    assert [(r.reason, Path(r.source_path).name) for r in prep.rejects] == [("too_large", "report.txt")]
    f = tmp_path / "rec.jsonl"  # a record's title that holds a whole text is cut
    f.write_text(json.dumps({"id": "t", "title": "mot " * 100_000, "text": BODY}) + "\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert len(a.title) < 1100 and a.body == BODY


@pytest.mark.seeds
def test_seeds_clean_exactly():
    from tests.conftest import SEEDS

    prep = read_and_clean(discover([SEEDS]))
    assert len(prep.articles) == 5 and not prep.rejects
    for a in prep.articles:
        assert a.title and a.publisher and a.published_date
        assert "Cliquez ici" not in a.body and "Merci d'avoir" not in a.body and "Publié dans" not in a.body


OTHER_SITE = """Accueil | Economie | Sport
ECONOMIE
Le port de Safi atteint un trafic record
Par Nadia Alaoui
Mercredi 12 mars 2025 - 10:45
Le port de Safi a traité 12 millions de tonnes de marchandises l'an dernier, en hausse de 9%, selon l'Agence nationale des ports.
Cette progression s'explique par les exportations d'engrais et par l'ouverture d'un nouveau quai en juin dernier.
Partager
© 2025 Safi Eco. Tous droits réservés
"""


def test_text_dump_of_another_site_without_profile():
    c = clean_text(normalize_text(OTHER_SITE))
    assert c.title == "Le port de Safi atteint un trafic record"
    assert c.author == "Nadia Alaoui"
    assert c.published == date(2025, 3, 12)
    assert c.body.startswith("Le port de Safi a traité") and c.body.endswith("en juin dernier.")


MENU_SITE = """Menu
Accueil
Economie
Inflation : le HCP annonce un ralentissement à 0,7% en octobre
Le 22/11/2024 à 10:30
Par La Rédaction
L'indice des prix à la consommation a enregistré une hausse de 0,7% en octobre 2024, selon le Haut-Commissariat au Plan (HCP).
Sur les dix premiers mois de l'année, l'inflation moyenne s'établit à 1,0%, contre 6,4% sur la même période de 2023.
Lire aussi
Bank Al-Maghrib maintient son taux directeur
Le déficit budgétaire se creuse à fin septembre
Les plus lus
"""


def test_menus_and_related_links_are_not_the_article():
    c = clean_text(normalize_text(MENU_SITE))
    assert c.title == "Inflation : le HCP annonce un ralentissement à 0,7% en octobre"
    assert c.published == date(2024, 11, 22)
    assert c.body.startswith("L'indice des prix") and c.body.endswith("même période de 2023.")


@pytest.mark.parametrize("between", ["", "Par Karim Alaoui\n"])
def test_a_standfirst_between_the_headline_and_the_date_opens_the_body(between):
    standfirst = "Le trafic a progressé de 8% en 2025, porté par les exportations de phosphates."
    c = clean_text(normalize_text(f"Economie\nLe port de Safi atteint un trafic record\n{standfirst}\n{between}"
                                  f"Publié le 20/11/2026\n{BODY}\n"))
    assert (c.title, c.published, c.body) == ("Le port de Safi atteint un trafic record", date(2026, 11, 20),
                                              f"{standfirst}\n{BODY}")


@pytest.mark.parametrize("masthead, publisher", [
    ("L'ECONOMISTE TEST    Édition N° 6850 du 2025/03/12", "L'Economiste Test"),  # shouted: as the paper writes it
    ("LES ECO | Édition n°412 du 12 mars 2025", "Les ECO"),  # a short word may be an acronym
    ("Le Courrier Test - Edition N° 12 du mercredi 12 mars 2025", "Le Courrier Test"),
])
def test_a_masthead_with_its_issue_dates_the_article_and_names_the_paper(tmp_path: Path, masthead, publisher):
    """Above the menu and the headline, it is no headline, and its date no fact."""
    f = tmp_path / "page.txt"
    f.write_text(f"{masthead}\nActualité | Entreprises | Finances | Sport\n"
                 f"Agriculture: la BAD finance l'irrigation du Souss\n{BODY}\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.title, a.published_date, a.publisher, a.body) == (
        "Agriculture: la BAD finance l'irrigation du Souss", date(2025, 3, 12), publisher, BODY)


@pytest.mark.parametrize("bar", ["Partager :  Facebook  Twitter  LinkedIn  WhatsApp", "Partagez : Facebook | X | E-mail"])
def test_a_share_bar_between_the_byline_and_the_first_paragraph_goes(bar):
    """Its networks are no organisations the article names."""
    c = clean_text(normalize_text(f"Le port de Safi atteint un trafic record\nPar Karim Alaoui\n"
                                  f"Publié le 14/05/2025 à 11h32\n{bar}\n{BODY}\n"))
    assert (c.title, c.published, c.body) == ("Le port de Safi atteint un trafic record", date(2025, 5, 14), BODY)


def test_a_newsroom_byline_with_the_date_is_the_publication_line():
    c = clean_text(normalize_text("Menu\nRechercher\nLe port de Safi atteint un trafic record\n"
                                  f"Par La Rédaction | 20 novembre 2026\n{BODY}\n"))
    assert (c.title, c.published, c.body) == ("Le port de Safi atteint un trafic record", date(2026, 11, 20), BODY)


CRAWLED = """Dernière minute
La BAD finance l'irrigation du Souss
Écouter l'article
Publicité - Continuez à lire ci-dessous
{body}
(DR)
Signaler une erreur
Vous avez aimé cet article ? Partagez-le !
Facebook Twitter LinkedIn WhatsApp
Ces articles peuvent vous intéresser
Le port de Safi atteint un trafic record
Cet article est réservé aux abonnés. Déjà abonné ? Se connecter"""


def test_ads_share_bars_teasers_and_paywall_lines_of_one_record(tmp_path: Path):
    """One crawler record on its own: no other record of its site shows what repeats,
    so the common rules alone must strip it."""
    f = tmp_path / "one.jsonl"
    teaser, rest = BODY.split("\n")  # a paywall's button between the teaser and the rest
    rec = {"id": "c1", "published": "2025-02-03", "text": CRAWLED.format(body=f"{teaser}\nContinuer la lecture\n{rest}")}
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert a.title == "La BAD finance l'irrigation du Souss"
    assert a.body == BODY


@pytest.mark.parametrize("header", [
    # a table of contents above the headline; a kicker, then the headline repeated
    "Sommaire\n1. Un prêt de 120 millions de dollars\n2. Douze mille agriculteurs\n{title}\n",
    "Temps de lecture : 2 min\nAgriculture\nEconomie\n{title}\nPhoto d'illustration. Crédit photo : DR\n",
    "Accueil Économie Politique Sport Culture Monde\n{title}\n",  # a menu written out on one line
])
def test_what_a_record_carries_above_its_first_paragraph(tmp_path: Path, header):
    title = "La BAD finance l'irrigation du Souss"
    f = tmp_path / "one.jsonl"
    rec = {"id": "c1", "title": title, "published": "2025-02-03", "text": header.format(title=title) + BODY}
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.title, a.body) == (title, BODY)


@pytest.mark.parametrize("header, author, agency", [
    ("Economie\n{title}\nPar Karim Alaoui le 12/03/2025 à 10h30", "Karim Alaoui", None),
    ("{title}\n12.03.2025", None, None),
    ("{title}\n(MAP) - 12 mars 2025", None, "MAP"),
    ("{title}\nLe Journal Test | 12 mars 2025", None, None),
    ("{title}\nLe Courrier Test - 12 mars 2025", None, None),
    ("Entretien\n{title}\nPublié le 12 mars 2025\nPropos recueillis par Karim Alaoui", "Karim Alaoui", None),
    ("Entretien\n{title}\nEntretien réalisé par Karim Alaoui\nLe 12 mars 2025", "Karim Alaoui", None),  # not the title
    ("Le fil d'info\nIl y a 2 heures\nAccueil › Economie › Finance\n{title}\nPar Karim Alaoui (avec MAP)\n"
     "Le 12/03/2025 à 17h35", "Karim Alaoui", None),
    # the update after the publication on one line; a share bar and a paywall label before the body
    ("{title}\nKarim Alaoui\nPublié le 12/03/2025 à 11h45 - Mis à jour le 14/03/2025 à 15h10\nTweeter", None, None),
    ("{title}\nPar Karim Alaoui le 12/03/2025 à 10h30\nPartager sur Facebook\nArticle réservé aux abonnés",
     "Karim Alaoui", None),
    ("{title}\nPublié le 12 mars 2025 par Karim Alaoui", "Karim Alaoui", None),
    # a time with no "à", a dash-separated or ISO date, an abbreviated month, a byline around the date
    ("{title}\n12/03/2025 10:30", None, None),
    ("{title}\n12-03-2025", None, None),
    ("{title}\n2025-03-12 10:30", None, None),
    ("{title}\n12 mars 2025 10h30", None, None),
    ("{title}\n12 mars 2025 - 10:30 | Par Karim Alaoui", "Karim Alaoui", None),
    ("{title}\n12 mars 2025 | Par Karim Alaoui | Économie", "Karim Alaoui", None),  # the rubric after the byline
    ("{title}\nMercredi, 12 Mars 2025 10:30", None, None),
    ("{title}\nMise en ligne : 12/03/2025 - 16:45\nRédigé par Karim Alaoui", "Karim Alaoui", None),
    ("{title}\nPar Karim Alaoui | Publié le 12/03/2025 à 10:30", "Karim Alaoui", None),
    ("{title}\nPar Karim Alaoui, publié le 12 mars 2025", "Karim Alaoui", None),
    ("{title}\nRédigé par Karim Alaoui le Mercredi 12 Mars 2025", "Karim Alaoui", None),
    ("{title}\nÉdition du 12 mars 2025", None, None),
    # a bare date with its update; a ticker's label and two headlines above the rubric
    ("Flash : Le dirham se stabilise face à l'euro • Bourse : le MASI gagne 0,4%\nEconomie\n{title}\n"
     "Par Karim Alaoui\nLe 12/03/2025 à 09h45 - Mis à jour le 14/03/2025 à 11h02", "Karim Alaoui", None),
    ("Flash info : Le dirham se stabilise face à l'euro\n{title}\n12 mars 2025 | Mis à jour le 14 mars 2025",
     None, None),
    # the site's own date above its menu; the article's date line above its headline
    ("Mercredi 19 mars 2025 | Dernière mise à jour 10:22\nConnexion\nRubriques\n{title}\nPar Karim Alaoui\n"
     "12 mars 2025 à 09h15", "Karim Alaoui", None),
    ("12 mars 2025\n{title}\nPar Karim Alaoui", "Karim Alaoui", None),
    ("Le Journal Test\nMercredi 12 mars 2025 - 12:30\n{title}\nPar Karim Alaoui", "Karim Alaoui", None),
    # "Auteur :" under the date; an agency in brackets between the byline and its date
    ("Menu\nÉCONOMIE\n{title}\nPublié le : 12 mars 2025\nAuteur : Karim Alaoui", "Karim Alaoui", None),
    ("Accueil > Economie\n{title}\nPar Karim Alaoui (avec MAP) Le 12/03/2025 à 18h44", "Karim Alaoui", "MAP"),
    # the site, the date and the byline on one line, under an audio player's and a photo credit's labels
    ("Le Journal Test | Economie\nÉcouter l'article\nTemps de lecture : 3 min\n{title}\n"
     "Le Journal Test | Publié le : 12 Mars 2025 - Par Karim Alaoui\nPh. : DR", "Karim Alaoui", None),
    ("{title}\nEconomie | Publié le 12/03/2025 à 10h30 - Par Karim Alaoui\nLien copié\nÉcouter", "Karim Alaoui", None),
    # the byline, the date and its update on one line, a share bar under it; the date then its author, no separator
    ("{title}\nPar Karim Alaoui | 12/03/2025 à 09h12 | Mis à jour le 12/03/2025 à 11h40\nPartager sur Facebook    "
     "Partager sur X    Envoyer par mail", "Karim Alaoui", None),
    ("{title}\nLe 12 mars 2025 par Karim Alaoui", "Karim Alaoui", None),
    ("{title}\nMis à jour le 14/03/2025 à 16h10 - Publié le 12/03/2025 à 09h30", None, None),  # the update first
    ("{title}\n12 mars 2025 | Rubrique : Economie | 3 commentaires", None, None),  # the page's labels after the date
    ("COMMUNIQUÉ DE PRESSE\nCasablanca, le 12 mars 2025\n{title}", None, None),  # a press release's place and date
    # an abbreviated weekday, a time zone, a relative time before the date, a rubric after it
    ("{title}\nmer, 12/03/2025 - 10:30", None, None),
    ("{title}\nle 12 mars 2025 à 10h30 (GMT+1)", None, None),
    ("{title}\nIl y a 2 heures | 12/03/2025", None, None),
    ("{title}\n12/03/2025 - 10:30 | Économie", None, None),
    ("Les ECO Test | Publié le 12/03/2025\n{title}", None, None),  # the site and the date above the headline
    ("{title}\nAuteur : Karim Alaoui\nDate : 12/03/2025", "Karim Alaoui", None),
    # "Posté le", "Publication :", a slash before the time, an author before ", publié le", a site and its
    # author before ". Publié le"
    ("{title}\nPosté le 12 mars 2025", None, None),
    ("{title}\nPublication : 12/03/2025", None, None),
    ("{title}\n12 mars 2025 / 10h00", None, None),
    ("{title}\nKarim Alaoui, publié le 12 mars 2025", "Karim Alaoui", None),
    ("{title}\nLe Courrier Test Karim ALAOUI. Publié le 12/03/2025 à 10h00", None, None),
    ("{title}\nPar Karim Alaoui | Edition N°:6951 Le 12/03/2025", "Karim Alaoui", None),  # the paper's issue
    ("{title}\nLe 12 mars 2025 | Rédaction Test+", None, None),  # the date, then the newsroom
    ("{title}\n12/03/2025 – Karim Alaoui", "Karim Alaoui", None),
])
def test_publication_lines_of_other_sites(header, author, agency):
    title = "La BAD finance l'irrigation du Souss"
    c = clean_text(normalize_text(header.format(title=title) + "\n" + BODY + "\n"))
    assert (c.title, c.published, c.author, c.agency, c.body) == (title, date(2025, 3, 12), author, agency, BODY)


@pytest.mark.parametrize("line, publisher", [
    ("Le Courrier Test - 12 mars 2025", "Le Courrier Test"),  # a name opening with an article is a paper's
    ("La Vie éco | 12/03/2025", "La Vie éco"),
    ("Le Journal de l'Industrie | 12 mars 2025", "Le Journal de l'Industrie"),  # an elided article in the name
    ("Le Courrier Test du 12 mars 2025", "Le Courrier Test"),
    ("Karim Alaoui | 12 mars 2025", None),  # an author's name stands there as often
    ("Le Journal Test | Publié le : 12 Mars 2025 - Par Karim Alaoui", "Le Journal Test"),
    ("Economie | Publié le : 12 Mars 2025 - Par Karim Alaoui", None),  # a rubric
    # aggregators' lines: another verb, a time, an abbreviated month, the date first, the source first
    ("Publié dans Le Courrier Test le 12 - 03 - 2025 à 10:22", "Le Courrier Test"),
    ("Paru dans L'Economiste Test du 12/03/2025", "L'Economiste Test"),
    ("Article paru dans La Vie Test le 12 mars 2025", "La Vie Test"),
    ("Publié sur Médias Test le 12 mars 2025", "Médias Test"),
    ("Publié dans Le Courrier Test le 12 mars 2025", "Le Courrier Test"),
    ("Publié par Le Courrier Test le 12/03/2025", "Le Courrier Test"),
    ("Publié par La Rédaction le 12/03/2025", None),  # the newsroom, not a paper
    ("Source : Le Courrier Test - 12/03/2025", "Le Courrier Test"),
    ("12 - 03 - 2025 | Le Courrier Test", "Le Courrier Test"),
    ("Date de publication : 12/03/2025 | Source : Le Courrier Test", "Le Courrier Test"),
    ("Par EcoTest24 | le 12/03/2025 à 10h30", "EcoTest24"),  # a byline that is a site's name
    ("Par EcoTest.ma | 12 mars 2025", "EcoTest.ma"),
    ("EcoTest24 - 12 mars 2025", "EcoTest24"),
    ("Karim Alaoui - 12 mars 2025", None),  # a person's name
])
def test_a_press_title_on_the_date_line_is_the_publisher(line, publisher):
    c = clean_text(normalize_text(f"La BAD finance l'irrigation du Souss\n{line}\n{BODY}\n"))
    assert (c.publisher, c.published, c.body) == (publisher, date(2025, 3, 12), BODY)


@pytest.mark.parametrize("rights, publisher", [
    ("© 2025 Le Courrier Test - Tous droits réservés", "Le Courrier Test"),
    ("© EcoTest 2025 - Reproduction interdite sans autorisation", "EcoTest"),
    ("Copyright © 2024 Test24. Tous droits réservés.", "Test24"),
    ("© AFP", None),  # a photo credit, not the site's rights line
    ("© 2025 La Presse Test. Tout droits réservés", "La Presse Test"),  # a common misspelling
    ("Toute reproduction interdite sans autorisation. Eco Test 2025", "Eco Test"),
    ("Reproduction strictement interdite – Le Quotidien Test © 2024", "Le Quotidien Test"),
    ("Le Courrier Test - Tous droits réservés 2025", "Le Courrier Test"),
    ("Le Courrier Test - TOUS DROITS RÉSERVÉS 2025", "Le Courrier Test"),  # the hint is case-blind
    ("Ce contenu a été publié initialement sur Le Quotidien Test.", "Le Quotidien Test"),
    ("Cet article a été publié à l'origine sur Le Quotidien Test.", "Le Quotidien Test"),
    ("LeMag Test 2025 ©", "LeMag Test"),
    ("Journal Test est édité par Test Média SA - Tous droits réservés 2025", "Journal Test"),  # not its company
    ("Site Test – Le quotidien de l'économie – Copyright 2025", "Site Test"),  # the site's motto between
    ("La Revue Test - Toute reproduction interdite", "La Revue Test"),
])
def test_the_rights_line_names_the_publisher_when_nothing_else_does(tmp_path: Path, rights, publisher):
    f = tmp_path / "r.jsonl"
    text = f"La BAD finance l'irrigation du Souss\n{BODY}\nPartager sur Facebook   Partager sur Twitter\n" \
           f"Cliquez ici pour vous abonner à notre newsletter\n{rights}"
    f.write_text(json.dumps({"id": "r", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.publisher, a.body) == (publisher, BODY)


def test_a_headline_ending_in_a_date_stays_the_headline():
    c = clean_text(normalize_text(f"Bourse de Casablanca - 12 mars 2025\nPublié le 12/03/2025\n{BODY}\n"))
    assert (c.title, c.published, c.body) == ("Bourse de Casablanca - 12 mars 2025", date(2025, 3, 12), BODY)


PAGE_NO_SITE_META = """<html><head><meta charset="utf-8">
<title>Automobile : l'usine de Tanger produit 400.000 véhicules | AutoNews Test</title></head><body>
<div class="post"><h2>Automobile : l'usine de Tanger produit 400.000 véhicules</h2>
<p>Publié le 5 février 2025</p>
<p>L'usine Renault de Tanger a produit 400.000 véhicules en 2024, un record depuis son ouverture, a annoncé mardi
le constructeur, qui emploie 8.000 personnes sur le site de Melloussa.</p>
<p>Le taux d'intégration locale atteint désormais 65%, grâce à un réseau de 250 fournisseurs installés au Maroc.</p>
<p>Mots-clés : Renault, Tanger, Automobile</p></div></body></html>"""


def test_html_without_site_metadata_takes_the_site_from_the_title_tag(tmp_path: Path):
    f = tmp_path / "auto.html"
    f.write_text(PAGE_NO_SITE_META, encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert a.title == "Automobile : l'usine de Tanger produit 400.000 véhicules"
    assert a.publisher == "AutoNews Test" and a.published_date == date(2025, 2, 5)
    assert a.body.endswith("installés au Maroc.")


@pytest.mark.parametrize("site", ["", "Le Journal Test - "])
def test_a_table_layout_page_keeps_its_whole_headline_and_its_publication_date(tmp_path: Path, site):
    """A layout trafilatura cannot read, the site's name or none before the headline in the
    title tag: the headline is not cut at its colon, and the update printed first does not
    date the article."""
    f = tmp_path / "table.html"
    f.write_text(f"<html><head><title>{site}Agriculture : la BAD finance l'irrigation du Souss</title></head><body><table>"
                 "<tr><td><a>Accueil</a> | <a>Economie</a></td></tr><tr><td><h2>Agriculture : la BAD finance "
                 "l'irrigation du Souss</h2><font size='1'>Mis à jour le 14/03/2025 à 16h10 - Publié le 12/03/2025 "
                 "à 09h30</font><br><br>" + BODY.replace("\n", "<br><br>") + "</td></tr></table></body></html>",
                 encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.title, a.published_date, a.body) == ("Agriculture : la BAD finance l'irrigation du Souss",
                                                   date(2025, 3, 12), BODY)


def test_a_date_printed_under_the_article_dates_it_and_the_comments_below_go():
    """The date closes the article; a comment under it is no first paragraph."""
    c = clean_text(normalize_text("Accueil > Economie\nLa BAD finance l'irrigation du Souss\n" + BODY
                                  + "\nPublié le 12/03/2025 à 17:20\nCommentaires\nRachid • il y a 2 heures\n"
                                  "Les chiffres sont encourageants mais la situation des agriculteurs reste difficile.\n"))
    assert (c.title, c.published, c.body) == ("La BAD finance l'irrigation du Souss", date(2025, 3, 12), BODY)


def test_a_shouted_headline_over_a_shouted_standfirst():
    standfirst = "LE PRÊT DE LA BANQUE DOIT PROFITER À DOUZE MILLE AGRICULTEURS DE LA RÉGION."
    c = clean_text(normalize_text(f"MONDE\nLA BAD FINANCE L'IRRIGATION DU SOUSS\n{standfirst}\nPar AFP\n"
                                  f"Publié le 12/03/2025 à 08h00\n{BODY}\n"))
    assert (c.title, c.published, c.body) == ("LA BAD FINANCE L'IRRIGATION DU SOUSS", date(2025, 3, 12),
                                              f"{standfirst}\n{BODY}")


DIV_PAGE = """<html><head><meta charset="utf-8"><title>La BAD finance l'irrigation du Souss - Eco Test</title>
<meta name="date" content="2025-03-12"></head><body>
<div class="wrapper"><div class="main">
<h1>La BAD finance l'irrigation du Souss</h1>
<div class="infos">12 mars 2025 | Rubrique : Economie | 3 commentaires</div>
<div itemprop="articleBody">
{first}<br><br>
<div class="ad-slot">Publicité</div>
{second}
</div>
</div>
<div class="sidebar"><h3>Articles récents</h3>
<div class="teaser"><h4>Bourse : le MASI recule de 1%</h4><p>Le MASI a reculé mardi à la Bourse de Casablanca, pénalisé
par des prises de bénéfices sur les valeurs bancaires, selon les analystes de la place.</p></div>
<div class="teaser"><h4>Énergie : un parc éolien de 270 MW</h4><p>Le développeur a achevé la construction d'un parc
éolien près de Tanger, qui alimentera des industriels de la région dès janvier prochain, selon un communiqué.</p></div>
</div></div>
<div class="foot">Eco Test © 2025</div></body></html>"""


def test_a_body_written_straight_into_a_div_keeps_its_first_paragraph(tmp_path: Path):
    """Text before the first <br> of a <div> (trafilatura's precise mode drops it); the
    teasers of the sidebar after the article still go."""
    first, second = BODY.split("\n", 1)
    f = tmp_path / "div.html"
    f.write_text(DIV_PAGE.format(first=first, second=second), encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.title, a.body) == ("La BAD finance l'irrigation du Souss", BODY)


def test_a_page_a_crawler_wrote_as_markdown(tmp_path: Path):
    first, second = BODY.split("\n", 1)
    md = ("* [Accueil](https://eco.test/)\n* [Economie](https://eco.test/eco)\n\n"
          "# La BAD finance l'irrigation du Souss\n\n**Par Karim Alaoui** | Publié le 12 mars 2025\n\n"
          "![Un canal d'irrigation](https://eco.test/img/canal.jpg)\n\n"
          + first.replace("Banque africaine de développement", "[Banque africaine de développement](https://afdb.test)")
          .replace("12.000", "**12.000**") + "\n\n> " + second + "\n\n---\n© 2025 Eco Test. Tous droits réservés.\n")
    (tmp_path / "page.md").write_text(md, encoding="utf-8")
    (a,) = read_and_clean(discover([tmp_path])).articles
    assert (a.title, a.author, a.published_date, a.publisher, a.body) == (
        "La BAD finance l'irrigation du Souss", "Karim Alaoui", date(2025, 3, 12), "Eco Test", BODY)


def test_a_plain_dump_with_a_star_or_a_dash_is_not_read_as_markdown():
    text = "Les résultats :\n- 118.000 postes créés en ville ;\n* voir la note du HCP\n> 5% de hausse"
    assert unmarkdown(text) == text


def test_a_line_in_arabic_under_a_french_article_is_not_its_body():
    c = clean_text(normalize_text("La BAD finance l'irrigation du Souss\n12 mars 2025\n" + BODY
                                  + "\nوافق البنك الإفريقي للتنمية على قرض لتحديث شبكات الري في جهة سوس\n"))
    assert c.body == BODY


@pytest.mark.parametrize("tag", ["Le Site Test - Economie - La BAD finance l'irrigation du Souss",
                                 "La BAD finance l'irrigation du Souss | Economie | Le Site Test"])
def test_a_site_s_logo_in_h1_and_its_rubric_in_the_title_tag_are_not_the_headline(tmp_path: Path, tag):
    f = tmp_path / "logo.html"
    f.write_text(f"<html><head><meta charset='utf-8'><title>{tag}</title></head><body><header><h1 class='logo'>"
                 "<a href='/'>Le Site Test</a></h1></header><div class='content'><h2>La BAD finance l'irrigation du "
                 "Souss</h2><p class='date'>Publié le 12 mars 2025</p>"
                 + "".join(f"<p>{p}</p>" for p in BODY.split("\n")) + "</div></body></html>", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.title, a.publisher, a.published_date, a.body) == (
        "La BAD finance l'irrigation du Souss", "Le Site Test", date(2025, 3, 12), BODY)


def test_a_page_built_by_script_keeps_its_metadata(tmp_path: Path):
    """The body only in the JSON-LD, the visible page empty: its title, site and date still count."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "La BAD finance l'irrigation du Souss",
          "datePublished": "2025-03-12T09:00:00+01:00", "publisher": {"@type": "Organization", "name": "Eco Test"},
          "articleBody": BODY.replace("\n", " ")}
    f = tmp_path / "spa.html"
    f.write_text(f'<html lang="fr"><head><meta charset="utf-8"><title>La BAD finance l\'irrigation du Souss - Eco Test'
                 f'</title><script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script></head>'
                 '<body><div id="root"><noscript>Activez JavaScript.</noscript></div></body></html>', encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.title, a.publisher, a.published_date) == ("La BAD finance l'irrigation du Souss", "Eco Test",
                                                        date(2025, 3, 12))
    assert a.body.startswith(BODY.split("\n")[0])


PAGE_WITH_URL = """<html lang="fr"><head><meta charset="utf-8">
<title>Énergie : un parc éolien de 300 MW à Tarfaya - Le Veilleur Test</title>
<meta property="article:published_time" content="2025-06-18T07:45:00+01:00">
<link rel="canonical" href="https://www.veilleur-test.fr/energie/eolien-tarfaya"></head><body>
<main><article><h1>Énergie : un parc éolien de 300 MW à Tarfaya</h1>
<p>Le parc éolien de Tarfaya sera agrandi de 300 MW d'ici 2027, a annoncé mardi l'exploitant, qui prévoit d'y
investir près de 4 milliards de dirhams.</p>
<p>La production du site couvrira alors les besoins de 1,5 million de foyers, selon les estimations publiées.</p>
</article></main></body></html>"""


def test_a_name_the_page_prints_beats_the_domain_of_its_url(tmp_path: Path):
    """Without og:site_name trafilatura may name the site after its canonical URL's domain."""
    f = tmp_path / "eolien.html"
    f.write_text(PAGE_WITH_URL, encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert a.publisher == "Le Veilleur Test" and a.url == "https://www.veilleur-test.fr/energie/eolien-tarfaya"
    assert a.title == "Énergie : un parc éolien de 300 MW à Tarfaya"


KICKER_RECORD = """ENTREPRISES
La BAD finance l'irrigation du Souss
Mis à jour le 02/04/2025 à 18h40
{body}
Newsletter Économie
Chaque matin, l'essentiel de l'actualité économique
Je m'inscris
Le Journal Test vous recommande
Nissan supprime 9 000 emplois dans le monde
Ivoire Test © 2025"""


def test_a_kicker_is_not_the_headline_and_a_newsletter_box_is_not_the_body(tmp_path: Path):
    f = tmp_path / "k.jsonl"
    rec = {"id": "k", "published": "2025-04-02", "text": KICKER_RECORD.format(body=BODY)}
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.title, a.body, a.publisher) == ("La BAD finance l'irrigation du Souss", BODY, "Ivoire Test")


BULLET_DUMP = """URGENT • Le dirham recule face au dollar • Inflation : 0,9% en février • Météo : fortes pluies
Vous consultez la version texte de cette page.
La BAD finance l'irrigation du Souss
Dernière mise à jour : 12/03/2025 16:20
Rédigé par Karim Alaoui

{body}
Source : Médias Test
Partager
Les plus lus
"""


def test_a_bullet_ticker_a_notice_and_an_update_line():
    """A ticker joined by bullets is not the title, a notice ending in a full stop is
    not either, and the date of the last update stands in for a missing publication date."""
    c = clean_text(normalize_text(BULLET_DUMP.format(body=BODY)))
    assert (c.title, c.published, c.author, c.body) == ("La BAD finance l'irrigation du Souss",
                                                         date(2025, 3, 12), "Karim Alaoui", BODY)


def test_a_pipe_byline_is_not_a_ticker():
    c = clean_text(normalize_text(f"La BAD finance l'irrigation du Souss\nPar Karim Alaoui | 12/03/2025 | 10h30\n"
                                  f"{BODY}\n"))
    assert (c.title, c.body) == ("La BAD finance l'irrigation du Souss", BODY)


def test_a_date_in_the_address_stands_in_for_a_missing_publication_date(tmp_path: Path):
    f = tmp_path / "u.jsonl"
    recs = [{"id": "u1", "url": "https://www.exemple-test.ma/eco/2025/03/14/bad-souss", "text": BODY},
            {"id": "u2", "url": "https://www.exemple-test.ma/eco/bad-souss", "text": BODY + " Autre."}]
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    a, b = read_and_clean([f]).articles
    assert (a.published_date, b.published_date) == (date(2025, 3, 14), None)


@pytest.mark.parametrize("middle, trailer", [
    ("LIRE AUSSI\nMarché : un autre titre du site", ""),  # a teaser inside the article: the article goes on
    ("Recommandé pour vous\nMarché : un autre titre du site", ""),
    ("À découvrir\nNos dernières vidéos", ""),
    ("", "Recommandé pour vous\nMarché : un autre titre du site\nUn deuxième titre"),
    ("", "Articles en relation\nUn autre titre du site\nUn deuxième titre du site"),
    ("À voir aussi\nMarché : un autre titre du site", ""),
    ("", "Lire aussi\nMarché : un autre titre du site\nUn deuxième titre\nUn troisième titre"),  # the trailer
    ("", "R. E.\nVous avez une info ? Écrivez-nous sur redaction@exemple-test.ma"),  # initials, a call for tips
    ("", "Contact presse :\nSara Test – sara@exemple-test.ma – +212 5 22 00 00 00"),  # a press release's contacts
    ("", "À propos de l'auteur\nSara Test est journaliste économique, spécialiste des marchés."),  # an author's box
    ("", "3 réponses\nKarim le 12 mars 2025 à 13h02\nIl faut baisser les factures de 20%.\nRépondre"),  # comments
    ("", "Commentaires (2)\nSalma : et les 500 emplois promis ?"),
    ("", "(Reportage de Sara Test ; édité par Karim Test)\nNos standards : les principes de l'agence."),  # a wire's
    # an embedded post: its text with its picture link, its attribution
    ("Le conseil a adopté aujourd'hui le programme. pic.twitter.com/abc123\n— Ministère Test (@MinTest) March 12, 2025",
     ""),
    ("Voir cette publication sur Instagram\nUne publication partagée par Ministère Test (@mintest)", ""),
    # a teaser in brackets or after a chevron, a page break, a player's heading, a caption with its credit
    ("[Lire aussi : Le Souss manque d'eau]", ""),
    ("» Lire aussi : Le Souss manque d'eau", ""),
    ("Sur le même sujet : Le Souss manque d'eau", ""),
    ("Page 1 / 2", ""),
    ("(Suite de la page 1)", ""),
    ("Vidéo : le ministre s'exprime", ""),
    ("Écoutez notre podcast", ""),
    ("Le barrage de Youssef Ben Tachfine. © Karim Test", ""),
])
def test_a_teaser_inside_the_article_and_a_signature_in_initials(middle, trailer):
    first, second = BODY.split("\n", 1)
    c = clean_text(normalize_text(f"La BAD finance l'irrigation du Souss\n12 mars 2025\n{first}\n{middle}\n"
                                  f"{second}\n{trailer}\n"))
    assert c.body == BODY


def test_a_paragraph_that_ends_with_a_credit_keeps_its_sentences():
    """Only a one-sentence caption goes with its credit."""
    para = "Le groupe a publié ses résultats. Le bénéfice a doublé en un an. © Agence Test"
    c = clean_text(normalize_text(f"La BAD finance l'irrigation du Souss\n12 mars 2025\n{BODY}\n{para}\n"))
    assert c.body == f"{BODY}\n{para}"


@pytest.mark.parametrize("credit, agency", [("APS", "APS"), ("(Avec MAP)", "MAP"), ("Source : AFP", "AFP")])
def test_a_wire_credit_above_the_teasers_names_the_agency(credit, agency):
    c = clean_text(normalize_text(f"La BAD finance l'irrigation du Souss\n12 mars 2025\n{BODY}\n{credit}\nPartagez\n"
                                  "Articles en relation\nAir Test commande 15 avions\nLe FMI relève sa prévision\n"))
    assert (c.body, c.agency) == (BODY, agency)


MENU_PAGE = """Accueil
Economie
Politique
Société
Dernières nouvelles
Le gouvernement adopte le projet de loi de finances rectificative
Inflation : les prix à la consommation reculent en octobre
Immobilier : les ventes de logements repartent à la hausse
Football : le club local s'impose à domicile
Météo : des averses orageuses attendues sur le Nord
Transport : la nouvelle gare routière ouvre ses portes
Economie
La BAD finance l'irrigation du Souss
Par Karim Alaoui
{date}{body}
Articles similaires
Un autre titre du site sur le même sujet
"""


@pytest.mark.parametrize("date_line, published", [("Le 12/03/2025 à 09:15\n", date(2025, 3, 12)), ("", None)])
def test_a_page_behind_a_menu_and_a_block_of_headlines(date_line, published):
    """The publication line may stand far down a copied page; without one, the
    headline is the line above the first paragraph."""
    c = clean_text(normalize_text(MENU_PAGE.format(date=date_line, body=BODY)))
    assert (c.title, c.published, c.body) == ("La BAD finance l'irrigation du Souss", published, BODY)


@pytest.mark.parametrize("dateline, published, agency", [
    ("Abidjan, le 1er octobre 2025 (AIP) - ", date(2025, 10, 1), "AIP"),
    ("Rabat, 12/03/2025 (MAP) – ", date(2025, 3, 12), "MAP"),
    ("Dakar, mardi 4 mars 2025 - ", date(2025, 3, 4), None),
    ("Dakar, 4 mars 2025 (APS) - ", date(2025, 3, 4), "APS"),
    ("Dakar, 19 nov. 2025 (APS) - ", date(2025, 11, 19), "APS"),
    ("", None, None),
])
def test_a_wire_dateline_opening_the_body_dates_the_article(tmp_path: Path, dateline, published, agency):
    """The dateline stays in the paragraph it opens; an ad label between paragraphs goes."""
    first, second = BODY.split("\n", 1)
    f = tmp_path / "d.jsonl"
    text = f"La BAD finance l'irrigation du Souss\nEconomie\n{dateline}{first}\nANNONCE\n{second}"
    f.write_text(json.dumps({"id": "d", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.published_date, a.agency, a.body) == (published, agency, f"{dateline}{BODY}")


def test_a_teaser_link_inside_a_paragraph_goes_and_the_paragraph_stays():
    first, second = BODY.split("\n", 1)
    c = clean_text(normalize_text(f"La BAD finance l'irrigation du Souss\n12 mars 2025\n"
                                  f"{first} Lire aussi : Souss : la BAD finance 3 barrages pour 45%\n{second}\n"))
    assert c.body == BODY


WIDGETS_PAGE = """Nous utilisons des cookies pour améliorer votre expérience sur notre site.
J'accepte
Paramétrer les cookies
La BAD finance l'irrigation du Souss
Publié il y a 2 heures
Mis à jour il y a 10 minutes
Écrit par Karim Alaoui
{first}
La suite après cette publicité
EN VIDÉO
Votre navigateur ne supporte pas la lecture de vidéos.
Rejoignez notre chaîne WhatsApp pour suivre l'actualité en temps réel
{second}
Ailleurs sur le web
Ce nouveau gadget fait fureur au Maroc
Recommandé par Outbrain
Réagissez à cet article
"""


def test_a_crawled_page_loses_its_widgets_and_takes_no_date_from_the_wall_clock(tmp_path: Path):
    """'Publié il y a 2 heures' is no date: the address gives it."""
    first, second = BODY.split("\n", 1)
    f = tmp_path / "c.jsonl"
    f.write_text(json.dumps({"id": "c", "url": "https://eco-test.ma/2025/03/12/bad-souss",
                             "text": WIDGETS_PAGE.format(first=first, second=second)}, ensure_ascii=False) + "\n",
                 encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.title, a.published_date, a.author, a.body) == (
        "La BAD finance l'irrigation du Souss", date(2025, 3, 12), "Karim Alaoui", BODY)


@pytest.mark.parametrize("sep", [" | ", " - ", " – "])
def test_the_site_s_name_after_the_headline_is_not_part_of_the_title(tmp_path: Path, sep):
    f = tmp_path / "a.txt"
    f.write_text(f"La BAD finance l'irrigation du Souss{sep}Le Journal Test\n12 mars 2025\n{BODY}\n"
                 "© 2025 Le Journal Test\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.title, a.publisher) == ("La BAD finance l'irrigation du Souss", "Le Journal Test")


def test_one_sponsored_label_inside_the_article_goes_a_sponsored_block_ends_it():
    first, second = BODY.split("\n", 1)
    c = clean_text(normalize_text(f"La BAD finance l'irrigation du Souss\n12 mars 2025\n{first}\nContenu sponsorisé\n"
                                  f"{second}\nContenus sponsorisés\nCe nouveau gadget fait fureur au Maroc cette année\n"))
    assert c.body == BODY


def test_a_sentence_about_an_announcement_is_not_an_ad_notice():
    line = "Le titre a bondi de 5% après cette annonce, selon les opérateurs du marché de la place."
    c = clean_text(normalize_text(f"La BAD finance l'irrigation du Souss\n12 mars 2025\n{line}\n{BODY}\n"))
    assert c.body == f"{line}\n{BODY}"


def test_relative_times_are_not_publication_dates():
    assert parse_fr_date("il y a 2 heures") is None and parse_fr_date("hier à 10h") is None
    assert parse_fr_date("Jeudi 13 Novembre 2025 - 10:22") == date(2025, 11, 13)


@pytest.mark.parametrize("value, published", [
    ("20251113", date(2025, 11, 13)),  # a crawler's compact date, as a string or a number
    ("1763028000", date(2025, 11, 13)),  # seconds since 1970
    ("13 nov. 2025", date(2025, 11, 13)),
    ("20251399", None),
])
def test_record_dates_in_a_crawler_s_formats(value, published):
    assert parse_fr_date(value) == published


def test_shingles_keep_the_stored_definition():
    """Signatures are stored and compared across runs: a shingle is the crc32 of
    five case-folded words joined by spaces, however it is computed."""
    import zlib

    from extractors.dedup import _shingles, _words

    words = _words(BODY)
    assert _shingles(words) == {zlib.crc32(" ".join(words[i:i + 5]).encode()) for i in range(len(words) - 4)}


def test_signatures_keep_the_stored_definition():
    """The MinHash is min((a*x + b) mod 2**64 mod (2**61 - 1)): stored signatures stay
    comparable whatever arithmetic computes it."""
    import numpy as np

    from extractors.dedup import _A, _B, _PRIME, _signature

    rng = np.random.default_rng(3)
    for sh in ({0}, {2**32 - 1}, set(rng.integers(0, 2**32, 500).tolist())):
        arr = np.array(sorted(sh), dtype=np.uint64)
        with np.errstate(over="ignore"):
            plain = ((arr[None, :] * _A[:, None] + _B[:, None]) % np.uint64(_PRIME)).min(axis=1)
        assert np.array_equal(_signature(sh), plain)


@pytest.mark.parametrize("line", ["Source : L'Economiste Test | Date : 12/03/2025 | Catégorie : Finances",
                                  "Date : 12/03/2025 | Source : L'Economiste Test"])
def test_an_aggregator_s_record_line_gives_the_source_and_the_date(line):
    c = clean_text(normalize_text(f"Accueil › Actualités\nLa BAD finance l'irrigation du Souss\n{line}\n{BODY}\n"))
    assert (c.title, c.publisher, c.published, c.body) == (
        "La BAD finance l'irrigation du Souss", "L'Economiste Test", date(2025, 3, 12), BODY)


def test_jsonl_records_with_a_crawlers_own_field_names(tmp_path: Path):
    """'content', 'headline', 'link', 'published_at', '_id': the same article as with
    the usual names; a 'content' that holds the page's HTML goes to trafilatura."""
    text = "Titre numéro 0\n" + body(0)
    recs = [{"_id": "x1", "headline": "Titre numéro 0", "link": "https://ex.ma/0", "content": text,
             "published_at": "2024-05-01T09:15:00+01:00", "site_name": "Ex Eco"},
            {"id": "x2", "content": HTML},
            {"id": "x3", "content": {"nested": "no"}, "title": "Rien"}]
    f = tmp_path / "crawl.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    prep = read_and_clean([f])
    a, b = prep.articles
    assert (a.record_id, a.title, a.url, a.published_date, a.publisher) == (
        "x1", "Titre numéro 0", "https://ex.ma/0", date(2024, 5, 1), "Ex Eco")
    assert a.body == body(0)
    assert b.title == "La CDG investit 2 MMDH à Tanger" and b.body.startswith("La Caisse de dépôt")
    assert [r.reason for r in prep.rejects] == ["no_article"]


def test_a_scraper_s_markdown_record_with_its_page_metadata_beside_it(tmp_path: Path):
    """'markdown' holds the text, a 'metadata' object the title, address, site and date."""
    rec = {"markdown": "# Titre numéro 0\n\n" + body(0).replace("\n", "\n\n"),
           "metadata": {"title": "Titre numéro 0 | Ex Eco", "sourceURL": "https://ex.ma/0", "ogSiteName": "Ex Eco",
                        "publishedTime": "2024-05-01T09:15:00Z"}}
    f = tmp_path / "scrape.jsonl"
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.title, a.url, a.published_date, a.publisher, a.body) == (
        "Titre numéro 0", "https://ex.ma/0", date(2024, 5, 1), "Ex Eco", body(0))


def test_neighbour_links_and_comment_box_labels_are_not_body(tmp_path: Path):
    f = tmp_path / "nav.txt"
    f.write_text("Titre numéro 0\nPublié le 12/03/2024\n\n" + body(0) + "\nSoyez le premier à commenter\n"
                 "Article précédent\nLe gouvernement annonce un nouveau plan de soutien aux petites et moyennes "
                 "entreprises du secteur agricole\nArticle suivant\nEncore un titre\n"
                 "Donnez votre avis\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert a.body == body(0)


@pytest.mark.parametrize("read_more", [" Lire la suite sur exemple-eco.ma", "\nLire la suite »"])
def test_a_teaser_that_sends_to_its_site_ends_the_body_there(read_more):
    c = clean_text(normalize_text(f"Titre numéro 0\nPublié le 12/03/2024\n{BODY}{read_more}\n"
                                  "Les plus lus\nUn autre article\n"))
    assert c.body == BODY


def test_a_paywall_s_share_left_to_read_ends_the_body():
    c = clean_text(normalize_text(f"Titre numéro 0\nPublié le 12/03/2024\n{BODY}\n"
                                  "Il vous reste 65.27% de cet article à lire. La suite est réservée aux abonnés.\n"))
    assert c.body == BODY


@pytest.mark.parametrize("text, lang", [
    ("La empresa española ha firmado un contrato con el gobierno de Marruecos para construir una planta.", "es"),
    ("Il governo ha approvato un piano di investimenti per le infrastrutture del paese, che sarà finanziato.", "it"),
    ("O governo aprovou um plano de investimentos de 2 mil milhões de euros para a modernização dos portos.", "pt"),
    ("Die Regierung hat einen Investitionsplan für die Modernisierung der Häfen des Landes beschlossen.", "de"),
    ("De Centrale Bank van Marokko heeft de rente op 2,25% gehouden, volgens een verklaring die dinsdag door de "
     "instelling werd gepubliceerd.", "nl"),
    ("La BAD a approuvé un prêt de 120 millions de dollars en faveur du Maroc, selon un communiqué publié mardi.",
     "fr"),
    ("Il y a un an, la banque centrale avait relevé son taux directeur de 50 points de base, une première.", "fr"),
])
def test_neighbouring_languages_are_not_taken_for_french(text, lang):
    """Spanish shares 'de', 'la', 'un' with French: it used to read as French and get facts."""
    from extractors.language import detect_language

    assert detect_language(text) == lang


@pytest.mark.parametrize("trailer", [
    # other articles' headlines, with their rubric and a colon, longer than a stub
    "Tourisme : les arrivées progressent de 14% à fin octobre selon l'Observatoire du tourisme\n"
    "Bourse de Casablanca : le MASI termine la semaine sur une hausse de 2,3% portée par les banques",
    "Vous pourriez aussi aimer\nLes arrivées progressent de 14% à fin octobre selon l'Observatoire du tourisme",
    "Plus d'actualités\nLes arrivées progressent de 14% à fin octobre selon l'Observatoire du tourisme marocain",
])
def test_teaser_headlines_after_the_last_paragraph_are_not_body(trailer):
    c = clean_text(normalize_text(f"La BAD finance l'irrigation du Souss\n12 mars 2025\n{BODY}\n{trailer}\n"))
    assert c.body == BODY


def test_a_last_paragraph_with_a_colon_and_its_full_stop_stays():
    last = "Le ministre : le programme sera étendu aux autres régions du Royaume dès l'an prochain."
    c = clean_text(normalize_text(f"La BAD finance l'irrigation du Souss\n12 mars 2025\n{BODY}\n{last}\n"))
    assert c.body == f"{BODY}\n{last}"


def test_paragraphs_a_dump_broke_at_a_fixed_width_are_joined_again():
    wrapped = ("La production céréalière de la campagne agricole est estimée à\n"
               "44 millions de quintaux, en hausse de 41% par rapport à la campagne\n"
               "précédente, a annoncé mardi le ministre, qui a salué le travail de la\n"
               "Banque mondiale et de ses partenaires.\n"
               "Les chiffres clés\n"
               "12 régions ont reçu plus de pluie que la moyenne des dix dernières années.\n")
    c = clean_text(normalize_text(f"La récolte céréalière en hausse\nPublié le 22/04/2025\n\n{wrapped}"))
    assert c.body.split("\n") == [
        "La production céréalière de la campagne agricole est estimée à 44 millions de quintaux, en hausse de 41% "
        "par rapport à la campagne précédente, a annoncé mardi le ministre, qui a salué le travail de la Banque "
        "mondiale et de ses partenaires.",
        "Les chiffres clés",  # a short heading before a figure stays apart
        "12 régions ont reçu plus de pluie que la moyenne des dix dernières années."]


@pytest.mark.parametrize("line", [
    "Cet article est paru dans Le Journal Test du 12 mars 2025",
    "Suivez l'actualité en temps réel sur notre chaîne WhatsApp",
    "Vous souhaitez réagir à cet article ?",
    "Lire notre dossier complet", "Pour aller plus loin", "Plus d'infos sur ce sujet", "Retour à la liste",
    "Article suivant : Le dirham se stabilise face à l'euro",
    "Contenu proposé par notre partenaire",
    "Rédaction Le Journal Test",
    "Dernière modification : 12 mars 2025",
    "Abonnez-vous pour lire la suite",  # a banner, not the cut of a teaser
    # ads, a cookie banner, a menu, widgets and picture credits a crawl keeps between paragraphs
    "--- Publicité ---", "Sponsored", "Publicité ci-dessous", "Sponsorisé par Banque Test", "Lire la suite ci-dessous",
    "En poursuivant votre navigation, vous acceptez l'utilisation de cookies.", "J'ai compris", "Menu", "Mon compte",
    "Rubriques", "Envoyer par e-mail", "Imprimer l'article", "A+ A-", "Lecture : 3 min", "3 min de lecture",
    "Voir la vidéo", "Crédit : DR", "(Ph. DR)", "Image d'illustration", "Tous droits de reproduction réservés",
    "[Publicité]", "Ce contenu vous a-t-il été utile ?", "Oui Non",
])
@pytest.mark.parametrize("where", ["above", "between", "below"])
def test_site_labels_above_or_below_the_article_are_not_body(line, where):
    first, rest = BODY.split("\n", 1)
    page = {"above": f"{line}\n{BODY}", "between": f"{first}\n{line}\n{rest}", "below": f"{BODY}\n{line}"}[where]
    c = clean_text(normalize_text(f"La BAD finance l'irrigation du Souss\n12 mars 2025\n{page}\n"))
    assert c.body == BODY


def test_a_comment_form_ends_the_body_and_a_reporter_s_byline_names_the_author():
    c = clean_text(normalize_text(f"La BAD finance l'irrigation du Souss\nPublié le 12/03/2025 à 15h30 Mis à jour le "
                                  f"13/03/2025 à 18h00\nKarim Alaoui, envoyé spécial à Agadir\n{BODY}\n"
                                  f"Votre adresse e-mail ne sera pas publiée.\nNom\nCommentaire de test laissé ici.\n"))
    assert (c.body, c.author, c.published) == (BODY, "Karim Alaoui", date(2025, 3, 12))


def test_a_menu_written_out_on_one_line_is_neither_title_nor_body():
    title = "La BAD finance l'irrigation du Souss"
    c = clean_text(normalize_text(f"Accueil Économie Politique Sport Culture Monde\n{title}\n{BODY}\n"))
    assert (c.title, c.body) == (title, BODY)


@pytest.mark.parametrize("title", ["La BAD finance l'irrigation du Souss - Aéro Test",
                                   "Aéro Test - La BAD finance l'irrigation du Souss",
                                   "Aéro Test | La BAD finance l'irrigation du Souss"])
def test_a_record_s_title_names_the_site_its_address_names_at_either_end(tmp_path: Path, title):
    f = tmp_path / "c.jsonl"
    rec = {"id": "c1", "url": "https://www.aero-test.ma/bad-souss", "title": title, "published": "2025-03-12",
           "text": BODY}
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.title, a.publisher) == ("La BAD finance l'irrigation du Souss", "Aéro Test")


def test_a_kicker_before_the_headline_is_not_taken_for_the_site(tmp_path: Path):
    f = tmp_path / "c.jsonl"
    rec = {"id": "c1", "url": "https://www.maroc-hebdo-test.ma/bad-souss", "published": "2025-03-12",
           "title": "Maroc - La BAD finance l'irrigation du Souss", "text": BODY}
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert (a.title, a.publisher) == ("Maroc - La BAD finance l'irrigation du Souss", None)


STANDFIRST_PAGE = """<html><head><meta charset="utf-8"><title>Le port de Safi investit | Eco Test</title>
<meta property="og:site_name" content="Eco Test"></head><body>
<div class="top"><p class="intro-banner">Abonnez-vous à notre offre pour lire tous nos articles sans limite ni publicité.</p></div>
<div class="content"><h1>Le port de Safi investit</h1>
<div class="{cls}"><p>L'Agence nationale des ports va investir 2,5 milliards de dirhams pour agrandir le port de Safi.</p></div>
<figure><img src="a.jpg"><figcaption class="media-desc">Le port de Safi, vu du quai nord, lors de sa visite.</figcaption></figure>
<div class="text">{paras}</div>
<div class="related"><p class="card-excerpt">Un autre port marocain a annoncé un investissement de grande ampleur hier soir.</p></div>
</div></body></html>"""


@pytest.mark.parametrize("cls", ["chapo", "article__chapo", "fig-standfirst", "article-lead"])
def test_a_page_s_standfirst_outside_its_text_block_opens_the_body(tmp_path: Path, cls):
    """trafilatura keeps the text's block and leaves the standfirst out; a banner above the
    headline, a caption and a teaser card below are no standfirst."""
    f = tmp_path / "chapo.html"
    f.write_text(STANDFIRST_PAGE.format(cls=cls, paras="".join(f"<p>{p}</p>" for p in BODY.split("\n"))),
                 encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert a.body == "L'Agence nationale des ports va investir 2,5 milliards de dirhams pour agrandir le port " \
                     "de Safi.\n" + BODY


def test_a_page_without_a_standfirst_keeps_its_text_alone(tmp_path: Path):
    f = tmp_path / "plain.html"
    page = STANDFIRST_PAGE.format(cls="chapo", paras="".join(f"<p>{p}</p>" for p in BODY.split("\n")))
    f.write_text(page.replace('<div class="chapo">', '<div class="toolbar">'), encoding="utf-8")
    (a,) = read_and_clean([f]).articles
    assert a.body.endswith(BODY) and "Abonnez-vous" not in a.body and "vu du quai" not in a.body
