from datetime import date

import pytest

from extractors.dates import find_dates

WED = date(2011, 2, 9)  # a Wednesday


def values(text, ref=WED):
    return [d.value for d in find_dates(text, ref)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("le 22 novembre 2024", ["2024-11-22"]),
        ("le 22/11/2024", ["2024-11-22"]),
        ("Publié le 22 - 11 - 2024", ["2024-11-22"]),
        ("en novembre 2024", ["2024-11"]),
        ("en mai 2020", ["2020-05"]),
        ("fin juin 2021", ["2021-06"]),
        ("le 21 avr. 2016", ["2016-04-21"]),
        ("le 12 janvier, 2018", ["2018-01-12"]),
        ("le 1 sep. 2019", ["2019-09-01"]),
        ("du 19 au 20 nov.", ["2010-11-19", "2010-11-20"]),
        ("du 4 au 22 janvier, 1995", ["1995-01-04", "1995-01-22"]),
        ("du lundi 7 au mercredi 9 mars", ["2011-03-07", "2011-03-09"]),  # weekdays before the days
        ("du 12 au 14 février prochain", ["2011-02-12", "2011-02-14"]),  # days ahead in this month: this year's
        ("les 19-20 mars", ["2011-03-19", "2011-03-20"]),  # two days joined by a dash
        ("les 20-19 mars", ["2011-03-19"]),  # no range backwards: the day alone
        ("lundi 7 et mardi 8 mars", ["2011-03-07", "2011-03-08"]),
        ("en 2022, 2023 et 2024", ["2022", "2023", "2024"]),  # every year of a list
        ("les 7, 8 et 9 mars", ["2011-03-07", "2011-03-08", "2011-03-09"]),  # every day of a list
        ("au titre des exercices 2022, 2023 et 2024", ["2022", "2023", "2024"]),
        ("la première quinzaine de novembre", ["2010-11"]),
        ("la seconde quinzaine d'octobre 2024", ["2024-10"]),
        ("ce vendredi", ["2011-02-11"]),
        ("avant hier", ["2011-02-07"]),
        ("depuis 2001", ["2001"]),
        ("le 1er mars", ["2011-03-01"]),
        ("le 25/01", ["2011-01-25"]),  # a day and a month in figures, after an article
        ("il partira le 3/04", ["2011-04-03"]),
        ("fin 2024-début 2025", ["2024", "2025"]),
        ("sur les neuf premiers mois de l'année", ["2011"]),  # of the publication's year
        ("les six premiers mois de l'année dernière", ["2010"]),
        ("au T3 2024", ["2024-Q3"]),
        ("au premier trimestre", ["2011-Q1"]),
        ("hier", ["2011-02-08"]),
        ("lundi dernier", ["2011-02-07"]),
        ("vendredi", ["2011-02-04"]),
        ("la semaine dernière", ["2011-W05"]),
        ("en juillet dernier", ["2010-07"]),
        ("au mois d'avril dernier", ["2010-04"]),
        ("le 1er mars prochain", ["2011-03-01"]),
        ("le 8 décembre prochain", ["2011-12-08"]),
        ("l'an dernier", ["2010"]),
        ("cette année", ["2011"]),
        ("entre avril et octobre 2020", ["2020-04", "2020-10"]),
        ("du 22 au 28 novembre 2024", ["2024-11-22", "2024-11-28"]),
        ("d'ici 2030", ["2030"]),
        ("à l'horizon 2027", ["2027"]),
        ("À la fin 2011", ["2011"]),
        ("le 12 déc. dernier", ["2010-12-12"]),  # an abbreviated month with no year
        ("le 3 jan. 2012 et le 14 juill. 2011", ["2012-01-03", "2011-07-14"]),  # the shortest abbreviations
        ("signé le 2011-01-15 à Rabat", ["2011-01-15"]),
        ("les 14 et 15 mars", ["2011-03-14", "2011-03-15"]),
        ("en janvier-février 2010", ["2010-01", "2010-02"]),
        ("au T3-2010", ["2010-Q3"]),
        ("au premier semestre 2010", ["2010-H1"]),
        ("au S2-2010", ["2010-H2"]),
        ("au second semestre", ["2011-H2"]),
        ("entre le 4 et le 22 janvier 2010", ["2010-01-04", "2010-01-22"]),
        ("en nov. 2010", ["2010-11"]),
        ("la réunion du 15 courant", ["2011-02-15"]),  # a day of the publication's month
        ("le 3 du mois en cours", ["2011-02-03"]),
        ("depuis le début de l'année", ["2011"]),
        ("au début de l'année 2010", ["2010"]),
        ("d'ici la fin de l'année prochaine", ["2012"]),  # not this year's end
        ("au début de l'année prochaine", ["2012"]),
        ("la fin de l'année dernière", ["2010"]),
        ("à la fin du mois prochain", ["2011-03"]),
        ("début du mois dernier", ["2011-01"]),
        ("la hausse du mois dernier", ["2011-01"]),  # the month, after "du" or "au"
        ("au mois prochain", ["2011-03"]),
        ("il y a deux ans", ["2009"]),  # counted back from the publication
        ("il y a 3 mois", ["2010-11"]),
        ("il y a quinze jours", ["2011-01-25"]),
        ("au printemps prochain", ["2011"]),  # seasons as weather services count them
        ("l'été dernier", ["2010"]),
        ("l'hiver dernier", ["2009"]),  # the winter begun in December 2010 has not ended
        ("à partir de janvier prochain", ["2012-01"]),  # a month with its "prochain", no preposition
        ("au premier semestre de l'année prochaine", ["2012-H1"]),
        ("au quatrième trimestre de l'an dernier", ["2010-Q4"]),
        ("le trimestre prochain", ["2011-Q2"]),
        ("au semestre dernier", ["2010-H2"]),
        ("ce trimestre", ["2011-Q1"]),
        ("cet hiver", ["2011"]),  # this season: the publication's year
        ("ce printemps", ["2011"]),
        ("d'ici la fin du mois", ["2011-02"]),  # this month
        ("au début du mois", ["2011-02"]),
        ("à la fin du mois de mars", ["2011-03"]),  # a named month is that one
        # a year named by the event or the season it dates
        ("dès la rentrée 2012", ["2012"]),
        ("pendant le ramadan 2012", ["2012"]),
        ("l'édition 2012 du salon", ["2012"]),
        ("la saison estivale 2012", ["2012"]),
    ],
)
def test_date_values_keep_their_granularity(text, expected):
    assert values(text) == expected


def test_period_bounds():
    (d,) = find_dates("en juillet 2016")
    assert (d.first, d.last, d.granularity) == (date(2016, 7, 1), date(2016, 7, 31), "month")
    (h,) = find_dates("au S2 2016")
    assert (h.first, h.last, h.granularity) == (date(2016, 7, 1), date(2016, 12, 31), "half")


@pytest.mark.parametrize("text", ["le 2/3 des ménages", "la COP29 à Bakou", "le Challenge N°946", "2.400 kg de drogue", "Covid-19",
                                  "Plan Maroc Numeric 2013, le ministre", "du lundi au vendredi",
                                  "la ligne S1 du tramway", "sept entreprises", "en 2023-12 %",
                                  "les sept 2016 projets", "un courant de 20 ampères, 12 courant"])
def test_not_dates(text):
    assert values(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("La conférence se tiendra le 15 janvier.", ["2012-01-15"]),
        ("Le salon a eu lieu le 15 décembre.", ["2010-12-15"]),
        ("Les exportations ont reculé en novembre.", ["2010-11"]),
        ("La banque lancera l'offre en janvier.", ["2012-01"]),
        ("La réunion aura lieu jeudi.", ["2011-02-10"]),
        ("Le ministre a annoncé jeudi un plan.", ["2011-02-03"]),
        ("Alexandra a présenté le bilan le 2 février.", ["2011-02-02"]),
        ("Le salon prévu en septembre réunit 300 exposants.", ["2011-09"]),
        ("Comme prévu, le conseil s'est réuni le 2 février.", ["2011-02-02"]),
        # the cue nearest the date in its clause decides, not a forecast elsewhere in the sentence
        ("Le groupe a présenté mardi son plan, qui prévoit 2 Md€ d'ici là.", ["2011-02-08"]),
        ("Il a annoncé mardi que le salon se tiendra le 15 janvier.", ["2011-02-08", "2012-01-15"]),
        ("Mardi, le groupe lancera son offre.", ["2011-02-15"]),
        # "doit" points ahead in its own clause only
        ("L'opération, qui doit être bouclée avant le 15 décembre, ramènerait la part à 18 %.", ["2011-12-15"]),
        ("L'opération, visée par l'autorité le 20 décembre, doit financer le projet.", ["2010-12-20"]),
        # a participle right before the date is past; after "sera", or as a noun, it is not
        ("Le projet présenté mardi prévoit 2 Md€ d'économies.", ["2011-02-08"]),
        ("Le projet sera présenté mardi et prévoit 2 Md€ d'économies.", ["2011-02-15"]),
        # ... and so is one opening the sentence, unless it plans ahead
        ("Annoncé mardi par le ministre, le plan prévoit 2 Md€ d'économies.", ["2011-02-08"]),
        ("Programmée mardi, la réunion fera le point.", ["2011-02-15"]),
        # "d'ici" is a deadline ahead; "à partir de" a start, its side told by the tense
        ("Le gouvernement table sur 2 % d'inflation d'ici janvier.", ["2012-01"]),
        ("Les tarifs baissent à partir de janvier.", ["2011-01"]),
        ("Les tarifs baisseront à partir de janvier.", ["2012-01"]),
        ("Le marché lundi devrait rebondir.", ["2011-02-14"]),
        # "attendu", "entre en vigueur" point ahead; "est entrée en vigueur" is nearer and past
        ("Le rapport, attendu le 15 janvier, fera le point.", ["2012-01-15"]),
        ("La loi entre en vigueur le 1er janvier.", ["2012-01-01"]),
        ("La loi est entrée en vigueur le 1er janvier.", ["2011-01-01"]),
        ("Depuis le 1er janvier, les exportations progresseront.", ["2011-01-01"]),
        # two months named together, by "et" after "en" too
        ("Le salon aura lieu en octobre et novembre.", ["2011-10", "2011-11"]),
        ("Les exportations ont reculé en octobre et novembre.", ["2010-10", "2010-11"]),
    ],
)
def test_a_date_without_its_year_follows_the_tense(text, expected):
    """Published on Wednesday 2011-02-09: a future verb points ahead, and a day or
    month far ahead of the publication with no such verb is last year's."""
    assert values(text) == expected


def test_relative_dates_need_a_reference():
    assert values("lundi dernier", ref=None) == []
    assert values("le 22 novembre 2024", ref=None) == ["2024-11-22"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("la campagne 2023-2024", ["2023", "2024"]),
        ("la feuille de route 2023-2026", ["2023", "2026"]),
        ("la campagne 2022-23", ["2022", "2023"]),
        ("en 2022-2023", ["2022", "2023"]),
        # a noun and its complement before the years, or the two years alone; a law's number is no period
        ("la stratégie d'investissement 2023-2027", ["2023", "2027"]),
        ("Le programme, doté de 4 milliards pour 2023-2027.", ["2023", "2027"]),
        ("la loi n° 2020-2021 sur les sûretés", []),
        ("les années 2009 et 2010", ["2009", "2010"]),  # a plural noun before two years
        ("d'ici la fin de l'année", ["2011"]),
    ],
)
def test_periods_named_by_years(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("dateline", ["Tunis, le 15 novembre 2025 (TAP) - ", "Tunis, 15 nov. 2025 (TAP) - "])
def test_the_dateline_opening_the_body_dates_the_article_and_is_no_date_fact(nlp, tmp_path, dateline):
    """'Tunis, 15 novembre (TAP) - …' is the publication line inside the paragraph: no date, no metric."""
    import json

    from extractors.pipeline import extract
    from extractors.stages import read_and_clean

    text = ("La croissance atteint 2,4% au troisième trimestre 2025\n"
            f"{dateline}L'économie a progressé de 2,4% sur un an au troisième trimestre "
            "2025, selon l'institut, qui publiera ses comptes annuels le 20 mars prochain.")
    f = tmp_path / "t.jsonl"
    f.write_text(json.dumps({"id": "t", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    (facts,) = extract(read_and_clean([f]).articles)
    assert facts.article.published_date == date(2025, 11, 15) and facts.article.agency == "TAP"
    assert [m.text for m in facts.metrics if not m.in_title] == ["2,4%"]
    assert sorted((d.text, d.value, d.in_title) for d in facts.dates) == [
        ("le 20 mars prochain", "2026-03-20", False),
        ("troisième trimestre 2025", "2025-Q3", False), ("troisième trimestre 2025", "2025-Q3", True)]
