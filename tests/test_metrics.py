import pytest

from extractors.metrics import find_metrics


def triples(text):
    return [(m.value, m.unit) for m in find_metrics(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("88%", [(88, "%")]),
        ("0,25 % du chiffre", [(0.25, "%")]),
        ("une hausse de 10 pourcents", [(10, "%")]),  # the plural some write
        ("les 320 entreprises hébergées", [(320, "entreprises")]),
        ("plus de 1.200 startups", [(1200, "startups")]),
        ("15.000 emplois directs", [(15000, "emplois")]),
        ("ouvrir 9 Technoparks", [(9, "Technoparks")]),
        ("409 millions de m3", [(409e6, "m3")]),
        ("2.400 kg de drogue", [(2400, "kg")]),
        ("121,88 mètres", [(121.88, "mètres")]),
        ("une dizaine de membres", [(10, "membres")]),
        ("une centaine de jeunes entreprises", [(100, "entreprises")]),
        ("accompagner 500 petites et moyennes entreprises", [(500, "entreprises")]),  # two adjectives
        ("une dizaine de milliers d'emplois", [(1e4, "emplois")]),  # the second collective multiplies
        ("des centaines de milliers de visiteurs", [(1e5, "visiteurs")]),
        ("deux centaines de salariés", []),  # no count of "centaines"
        ("un TGV à 320 km/h", [(320, "km/h")]),  # a speed, not a length
        ("ouvrir 25 nouveaux points de vente", [(25, "points de vente")]),  # "points" alone is no count
        ("un recul de 3 points", []),  # goals as often as a rate
        ("le taux de chômage a reculé de 0,6 point", [(0.6, "point")]),  # decimals: percentage points
        # "le nombre de X": the noun of a figure that has none
        ("Le nombre de touristes a atteint 1,5 million à fin mars.", [(1.5e6, "touristes")]),
        ("Nombre de magasins : 215", [(215, "magasins")]),
        ("Le nombre de nuitées a atteint 2,1 millions, en hausse de 5%.", [(2.1e6, "nuitées"), (5, "%")]),
        ("Le nombre de projets a atteint 2025 cette année.", []),
        ("ses quatre sites", [(4, "sites")]),
        ("14,5 millions de touristes", [(14.5e6, "touristes")]),
        ("Sur 540 adhérents, 310 sont des PME-PMI", [(540, "adhérents"), (310, "PME-PMI")]),
        ("320.000 emplois dans le privé et 11.000 dans le public", [(320000, "emplois"), (11000, "emplois")]),
        ("recule de 0,5 point de pourcentage", [(0.5, "point de pourcentage")]),
        ("abaisse son taux de 25 points de base", [(25, "points de base")]),
        ("un million de touristes", [(1e6, "touristes")]),
        # a second figure with no noun of its own shares the first one's
        ("1,5 million de foyers à fin 2027, contre 600.000 aujourd'hui", [(1.5e6, "foyers"), (6e5, "foyers")]),
        ("92.000 postes créés, dont 71.000 en milieu urbain", [(92000, "postes"), (71000, "postes")]),
        # whole percentage points after a percentage in the same sentence
        ("un taux de 68 %, soit 5 points de plus qu'en 2024", [(68, "%"), (5, "points")]),
        ("Il gagne 60 % de ses matchs. Le club compte 45 points", [(60, "%")]),  # not in its sentence
        # an adjective after the second figure qualifies the first one's noun
        ("30 000 emplois directs et 90 000 indirects.", [(3e4, "emplois"), (9e4, "emplois")]),
        ("1.200 postes permanents et 3.000 temporaires", [(1200, "postes"), (3000, "postes")]),
        ("1,2 million de visiteurs contre 900.000 l'an dernier", [(1.2e6, "visiteurs"), (9e5, "visiteurs")]),
        ("2,3 millions de touristes contre 1,9 million en 2023", [(2.3e6, "touristes"), (1.9e6, "touristes")]),
        ("12 agences, contre 9 un an plus tôt", [(12, "agences"), (9, "agences")]),
        ("300 exposants et 12, selon les organisateurs", [(300, "exposants")]),
        ("4.200 collaborateurs. Contre 2023, la hausse est nette", [(4200, "collaborateurs")]),
        ("4.200 collaborateurs. Il y en avait contre 3.900 en 2023", [(4200, "collaborateurs")]),
        ("40 l d'eau", [(40, "l")]),
        ("3'200 employés en Suisse", [(3200, "employés")]),
        # a share's denominator is no count of its own: "dix exportent" and "trois utilise" are not metrics
        ("Trois entreprises sur dix exportent. Un Marocain sur trois utilise le mobile", [(3, "entreprises")]),
        ("45 entreprises sur 120 ont répondu, sur 300 logements", [(45, "entreprises"), (300, "logements")]),
        ("4.200 collaborateurs répartis sur 12 filiales", [(4200, "collaborateurs"), (12, "filiales")]),
    ],
)
def test_metric_values_and_units(text, expected):
    assert triples(text) == [(pytest.approx(v), u) for v, u in expected]


def test_percentage_name():
    (m,) = find_metrics("un taux de pérennité de 88% après 5 ans")
    assert m.name == "taux de pérennité"


@pytest.mark.parametrize("text, name", [
    ("Le chiffre d'affaires a reculé de 2,3% sur un an.", "recul"),  # a participle of the name
    ("Le taux aux partielles atteint 50,3%.", "taux"),  # 'part' is no name inside a word
    ("Une hausse de son résultat net de 9%.", "hausse"),  # a determiner is not what is measured
    ("Une hausse de plus de 9%.", "hausse"),
    ("Les crédits ont pour leur part augmenté de 2,1%.", None),  # an idiom, not a share
    ("Leur part de marché atteint 12%.", "part de marché"),
])
def test_percentage_name_is_a_whole_word(text, name):
    (m,) = find_metrics(text)
    assert m.name == name


@pytest.mark.parametrize("text, expected", [
    ("une croissance de 3-4% en 2027", [3.0, 4.0]), ("de 3,5-4,2 %", [3.5, 4.2]), ("en 2023-24%", [])])  # a year is no end
def test_a_glued_percentage_range_gives_both_ends(text, expected):
    assert [m.value for m in find_metrics(text) if m.unit == "%"] == expected


@pytest.mark.parametrize("text", ["en 2016 les startups", "une approche", "la COP29", "Covid-19 a frappé",
                                  "la 5G arrive",
                                  "pendant 5 ans", "lors des 5 prochaines années", "deux fois plus",
                                  "3 points au classement", "un million de dirhams", "un loyer de 2'400 francs",
                                  "le top 10 des exportateurs", "la phase 2 des travaux",
                                  "les Boeing 737 MAX livrés", "le club de Ligue 1 recrute",
                                  "les deux tiers des entreprises", "trois quarts des PME",
                                  "une croissance à deux chiffres",
                                  "la sortie du cinq millionième véhicule",
                                  "voir https://www.exemple-test.ma/recherche?q=hausse%2030%25 pour le détail",
                                  "écrire à equipe2030@exemple-test.ma ou sur www.exemple-test.ma/dossier-40-entreprises"])
def test_not_metrics(text):
    assert triples(text) == []


@pytest.mark.parametrize("text, expected", [
    ("Les 12 sites retenus", [(12, "sites")]),  # the capitalised word opens the sentence
    ("Le bilan. Les 12 sites retenus", [(12, "sites")]),
    ("Titre\nLes 12 sites retenus", [(12, "sites")]),
    ("« Les 12 sites retenus", [(12, "sites")]),
    ("STELLANTIS PORTE SA CAPACITÉ À 535.000 VÉHICULES", [(535000, "VÉHICULES")]),  # a shouted preposition
])
def test_a_capitalised_determiner_is_no_model_name(text, expected):
    assert triples(text) == [(pytest.approx(v), u) for v, u in expected]


def test_money_is_not_a_metric(nlp):
    doc = nlp("Le fonds a levé 50 millions de dollars pour 320 entreprises en 2016.")
    assert [s.text for s in doc.spans["metrics"]] == ["320 entreprises"]
    assert [s.text for s in doc.spans["amounts"]] == ["50 millions de dollars"]


@pytest.mark.parametrize("text, expected", [
    ("sa capacité passera de 200.000 à 400.000 véhicules", [(2e5, "véhicules"), (4e5, "véhicules")]),
    ("entre 300 et 500 emplois", [(300, "emplois"), (500, "emplois")]),
    ("de 40 à 60% des ventes", [(40, "%"), (60, "%")]),
    ("de 12 à 15 millions de tonnes", [(12e6, "tonnes"), (15e6, "tonnes")]),
    ("de 500.000 à 1 million de tonnes", [(5e5, "tonnes"), (1e6, "tonnes")]),
    ("en 2023 et 40 000 tonnes", [(4e4, "tonnes")]),  # a year does not open a range
])
def test_the_first_figure_of_a_range_shares_the_unit(text, expected):
    assert [(m.value, m.unit) for m in find_metrics(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("le recul des prix de l'énergie (-3,4% sur un an)", [("-3,4%", -3.4)]),
    ("en recul (–1,5 %)", [("–1,5 %", -1.5)]),
    ("la Covid-19 a touché 12% des ménages", [("12%", 12.0)]),  # a name's hyphen is not a sign
])
def test_a_signed_percentage_keeps_its_sign(text, expected):
    assert [(m.text, m.value) for m in find_metrics(text)] == expected


def test_a_unit_never_starts_the_next_line():
    assert [(m.value, m.unit) for m in find_metrics("Mis à jour à 16:20\nRédigé par Karim")] == []


def test_pas_moins_de_is_kept_whole_in_the_text():
    """"moins de 1.500 exposants" alone would tell an analyst the opposite."""
    (m, _) = find_metrics("Pas moins de 1.500 exposants venus de 60 pays.")
    assert (m.text, m.value, m.unit) == ("Pas moins de 1.500 exposants", 1500, "exposants")
