import pytest

from extractors.amounts import find_amounts


@pytest.mark.parametrize(
    "text, value, value_max, currency",
    [
        ("une usine de 437MDH", 437e6, None, "MAD"),
        ("une amende de 7,58 MDH", 7.58e6, None, "MAD"),
        ("Aterian lève 4,5 M$", 4.5e6, None, "USD"),
        ("doté de 50 millions de dollars", 50e6, None, "USD"),
        ("22 Mds d'euros", 22e9, None, "EUR"),
        ("1 milliard de DH", 1e9, None, "MAD"),
        ("un budget de 1\u202f200 dirhams", 1200, None, "MAD"),
        ("un budget de 1\u00a0200 dirhams", 1200, None, "MAD"),
        ("de 100.000 à 1 million de dirhams", 1e5, 1e6, "MAD"),
        ("entre 2 et 3 MMDH", 2e9, 3e9, "MAD"),
        ("trois cents dirhams", 300, None, "MAD"),
        ("vingt-cinq millions de livres sterling", 25e6, None, "GBP"),
        ("10 000 FCFA", 1e4, None, "XOF"),
        ("3,5 milliards de yuans", 3.5e9, None, "CNY"),
        ("300 millions d'euros", 300e6, None, "EUR"),
        ("2 Mdhs", 2e6, None, "MAD"),
        ("un chiffre de 900 millions de dirhams (MDH)", 900e6, None, "MAD"),
        ("un demi-milliard de dollars", 5e8, None, "USD"),
        ("un milliard et demi de dirhams", 1.5e9, None, "MAD"),
        # francophone Africa's own currencies and abbreviations
        ("soit 25 milliards F CFA", 25e9, None, "XOF"),
        ("un budget de 120 MDT", 120e6, None, "TND"),
        ("un prix de 3,2 DT le kilo", 3.2, None, "TND"),
        ("un budget de 2 milliards de DA", 2e9, None, "DZD"),
        ("1,5 milliard de nairas", 1.5e9, None, "NGN"),
        ("10 millions d'ouguiyas", 10e6, None, "MRU"),
        # the currency before the figure; not the currency of the sum before it ("15 DH 50")
        ("un loyer de DH 12.000", 12e3, None, "MAD"),
        ("Dh 2,5 milliards", 2.5e9, None, "MAD"),
        ("un ticket à 15 DH 50 centimes", 15.5, None, "MAD"),  # and its centimes are part of the price
        # a hundredth of a currency named, or of the sum before it in the sentence
        ("le gasoil baisse de 20 centimes de dirham", 0.2, None, "MAD"),
        ("le gazole a perdu 4 centimes d'euro", 0.04, None, "EUR"),
        ("le baril a pris 34 cents de dollar", 0.34, None, "USD"),
        ("un café à 2 euros et 30 centimes", 2.3, None, "EUR"),
        # the scale word alone, after a definite article
        ("Marsa Maroc dépasse le milliard de dirhams de bénéfice", 1e9, None, "MAD"),
        ("les ventes franchissent la barre du million de dollars", 1e6, None, "USD"),
        # Swiss thousands separators
        ("un bénéfice de 1'250 millions de francs suisses", 1.25e9, None, "CHF"),
        ("des ventes de 12'500'000 CHF", 1.25e7, None, "CHF"),
        ("un prix de 1’250.50 CHF", 1250.5, None, "CHF"),
        # Québec's billions of dollars
        ("un investissement de 2,5 G$", 2.5e9, None, "CAD"),
        # the French long scale
        ("une dette de 1 billion d'euros", 1e12, None, "EUR"),
        ("un marché de 2,3 trillions de dollars", 2.3e18, None, "USD"),
    ],
)
def test_amount_value_and_currency(text, value, value_max, currency):
    from extractors.textnorm import normalize_text

    found = find_amounts(normalize_text(text))
    assert len(found) == 1, found
    a = found[0]
    assert a.value == pytest.approx(value)
    assert a.value_max == (pytest.approx(value_max) if value_max else None)
    assert a.currency == currency


def test_qualifier_marks_approximate():
    (a,) = find_amounts("près d'1 milliard de DH")
    assert a.approximate and a.value == 1e9
    (b,) = find_amounts("plus de 300 millions de DH")
    assert not b.approximate


@pytest.mark.parametrize("text", ["320 entreprises", "en 2016", "88%", "la COP29", "2.400 kg", "un dirham symbolique",
                                  "le million de touristes"])
def test_not_money(text):
    assert find_amounts(text) == []


def test_offsets_point_at_the_text():
    t = "Le fonds, doté d'une enveloppe de 50 millions de dollars, démarre."
    (a,) = find_amounts(t)
    assert t[a.start:a.end] == "50 millions de dollars"


@pytest.mark.parametrize("text, span, value", [("Un prêt de USD 50 millions.", "USD 50 millions", 5e7),
                                               ("Un prêt de $50 millions.", "$50 millions", 5e7),
                                               ("Un prêt de 4 M. $ au total.", "4 M. $", 4e6)])
def test_a_sentence_full_stop_is_not_part_of_the_amount(text, span, value):
    (a,) = find_amounts(text)
    assert (a.text, a.value) == (span, value)


@pytest.mark.parametrize("body, amount", [("Les recettes sont estimées à 1,7 Md€. Le taux atteint 82%.", "1,7 Md€"),
                                          ("Il investit 2,5 G$. Air France suit.", "2,5 G$"),
                                          ("Le prêt atteint 4,5 M$. La BAD suit.", "4,5 M$")])
def test_a_full_stop_after_a_currency_sign_ends_the_sentence(nlp, body, amount):
    """French suffix rules kept "Md€." as one token: the sentence ran on into the next one."""
    from datetime import date

    from extractors.pipeline import extract
    from schemas.models import Article

    (f,) = extract([Article(article_id="x", source_path="x.txt", body=body, published_date=date(2024, 1, 1))])
    (a,) = f.amounts
    assert a.text == amount and body[a.start_char:a.end_char] == amount
    assert a.sentence == body[:body.index(amount) + len(amount) + 1]
    assert not any("." in o.name for o in f.organizations)


@pytest.mark.parametrize("text, expected", [
    ("512 milliards de FCFA depuis janvier, contre 430 milliards en 2024.", [(512e9, "XOF"), (430e9, "XOF")]),
    ("passé de 2 MMDH à 3 milliards", [(2e9, "MAD"), (3e9, "MAD")]),
    ("soit 300 millions de dirhams dont près de 120 millions pour la formation", [(3e8, "MAD"), (1.2e8, "MAD")]),
    # a noun of its own, another sentence, or a length: not money
    ("un prêt de 50 millions de dollars et 3 millions de tonnes", [(5e7, "USD")]),
    ("un budget de 10 millions d'euros. Puis 3 millions", [(1e7, "EUR")]),
    ("2 millions de dollars pour un mur de 3 m et 5 m de large", [(2e6, "USD")]),
])
def test_a_figure_shares_the_currency_of_the_amount_before_it(text, expected):
    assert [(a.value, a.currency) for a in find_amounts(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("En Tunisie, le déficit atteint 15,6 milliards de dinars ; importations : 63,4 MD.", [(15.6e9, "TND"), (63.4e6, "TND")]),
    ("En Algérie, le budget est de 500 milliards de dinars.", [(5e11, "DZD")]),
    ("Un budget de 30 milliards de dinars.", []),  # no country named: not guessed
])
def test_dinars_take_the_currency_of_the_country_the_article_names(text, expected):
    from extractors.metrics import find_metrics

    assert [(a.value, a.currency) for a in find_amounts(text)] == expected
    assert not [m for m in find_metrics(text) if "dinar" in m.unit]  # money is never a metric


@pytest.mark.parametrize("text, expected", [
    ("Le Cameroun a levé 250 milliards de FCFA sur le marché de la BEAC.", [(2.5e11, "XAF")]),
    ("La BVMAC a coté 12 milliards de francs CFA.", [(1.2e10, "XAF")]),
    ("À Dakar, la Sonatel a gagné 345 milliards FCFA.", [(3.45e11, "XOF")]),
    ("Le projet coûte 30 milliards de CFA.", [(3e10, "XOF")]),  # no region named: the West African franc
    # the region of the amount's own sentence first, then the one the article names most
    ("À Abidjan, la BRVM et la BCEAO saluent l'Uemoa. Au Cameroun, la SNH a versé 450 milliards de FCFA. "
     "La BRVM a levé 300 milliards de FCFA.", [(4.5e11, "XAF"), (3e11, "XOF")]),
])
def test_the_franc_cfa_of_central_africa_is_told_from_the_west_african_one(text, expected):
    assert [(a.value, a.currency) for a in find_amounts(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("Le groupe suisse a réalisé 91,4 milliards de francs de ventes.", [(9.14e10, "CHF")]),
    ("À Dakar, le kilo de riz passe à 400 francs.", [(400, "XOF")]),
    ("À Douala, le kilo de riz passe à 400 francs.", [(400, "XAF")]),
    ("En 1998, la baguette coûtait 4 francs.", []),  # no country named: not guessed
    ("Kinshasa a levé 500 milliards de francs congolais.", [(5e11, "CDF")]),
])
def test_bare_francs_take_the_currency_of_the_country_the_article_names(text, expected):
    assert [(a.value, a.currency) for a in find_amounts(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("Au Maroc, le projet coûte 15 milliards de centimes.", [(1.5e8, "MAD")]),
    ("À Alger, la commune dispose de 3 milliards de centimes.", [(3e7, "DZD")]),
    ("Le ticket coûte 50 centimes.", []),  # no country named: not guessed
    # with no country, the sum before it in its sentence says whose hundredth it is
    ("Le litre passe à 11,80 DH, soit une baisse de 30 centimes.", [(11.8, "MAD"), (0.3, "MAD")]),
    ("Le litre coûte 1,80 euro, soit 5 centimes de plus.", [(1.8, "EUR"), (0.05, "EUR")]),
    ("Le litre coûte 1,80 euro. Le ticket coûte 50 centimes.", [(1.8, "EUR")]),  # another sentence
    # "milliards de centimes" stays the idiom of the country named, whatever the sum before
    ("Au Maroc, le projet, estimé à 2 millions d'euros, soit 2 milliards de centimes",
     [(2e6, "EUR"), (2e7, "MAD")]),
])
def test_centimes_are_a_hundredth_of_the_currency_of_the_country_named(text, expected):
    assert [(pytest.approx(a.value), a.currency) for a in find_amounts(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("deux lots de respectivement 5 et 7 millions de dirhams", [(5e6, None), (7e6, None)]),
    ("des tranches de 8 et 4 millions de dollars", [(8e6, None), (4e6, None)]),
    ("un budget compris entre environ 5 et 7 millions de dirhams", [(5e6, 7e6)]),
    ("de 5 à 7 millions de dirhams", [(5e6, 7e6)]),
    ("un coût de 10-12 MDH", [(10e6, 12e6)]),  # the dash glued to both figures
    # both ends name the currency: still one range, unless the sum went from one to the other
    ("des tickets allant de 100.000 DH à 1 million de dirhams", [(1e5, 1e6)]),
    ("un budget compris entre 10 MDH et 12 MDH", [(10e6, 12e6)]),
    ("un budget de 5 MDH et 7 MDH", [(5e6, None), (7e6, None)]),
    ("le chiffre d'affaires est passé de 200 à 300 millions de dirhams", [(2e8, None), (3e8, None)]),
    ("le capital a été porté de 10 MDH à 12 MDH", [(10e6, None), (12e6, None)]),
    ("un contrat portant sur une enveloppe de 10 à 12 MDH", [(10e6, 12e6)]),
])
def test_two_figures_joined_by_et_are_a_range_only_after_entre(text, expected):
    assert [(a.value, a.value_max) for a in find_amounts(text)] == expected


def test_riyals():
    assert [(a.value, a.currency) for a in find_amounts("Le fonds apporte 1 milliard de riyals, et Doha "
                                                        "500 millions de riyals qataris.")] == [(1e9, "SAR"),
                                                                                               (5e8, "QAR")]


@pytest.mark.parametrize("follow", ["", r"\b", r"(?=\s)", r"\s+[A-Z]"])
def test_a_prefix_tree_alternation_matches_what_the_flat_one_does(follow):
    """Word lists go into a prefix tree for speed; on any text it must find what the
    longest-first alternation finds, continuation and backtracking included."""
    import random
    import re

    from extractors.numbers import alternation

    rng = random.Random(11)
    for _ in range(200):
        words = ["".join(rng.choice("abé-") for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 12))]
        flat = "(?:" + "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"
        text = "".join(rng.choice("abéAB- ") for _ in range(80))
        for flags in (0, re.IGNORECASE):
            expected = [m.span() for m in re.finditer(flat + follow, text, flags)]
            assert [m.span() for m in re.finditer(alternation(words) + follow, text, flags)] == expected, words
