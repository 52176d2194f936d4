"""Organisations through the real pipeline (fr_core_news_md + rules)."""
from __future__ import annotations

import pytest

from extractors.orgs import fold, gaz_lookup


def orgs(nlp, text):
    doc = nlp(text)
    return {g.name: g for g in doc._.organizations}, doc


def test_acronym_linked_to_long_form(nlp):
    groups, doc = orgs(nlp, "La société Atlas Digital Services (ADS) a signé un accord. Selon ADS, le projet démarre.")
    (g,) = [g for g in groups.values() if "ADS" in g.forms]
    assert g.name == "Atlas Digital Services" and g.forms.count("ADS") == 1
    assert sum(1 for s in doc.spans["orgs"] if s._.org_key == g.key) == 3


def test_a_name_in_brackets_after_another_is_its_other_name(nlp):
    groups, _ = orgs(nlp, "La Banque de l'Habitat (BH Bank) a réalisé un bénéfice. Le titre BH Bank a gagné 3,2%. "
                          "Lesieur Cristal (groupe Avril) exporte.")
    assert set(groups["Banque de l'Habitat"].forms) == {"Banque de l'Habitat", "BH Bank"}
    assert "Lesieur Cristal" in groups and "Avril" in groups  # a description in the brackets: another one


def test_acronym_linked_with_small_words(nlp):
    groups, _ = orgs(nlp, "Les PME ont sollicité la Caisse centrale de garantie (CCG) en 2020.")
    assert any({"Caisse centrale de garantie", "CCG"} <= set(g.forms) for g in groups.values())


def test_generic_words_roles_places_are_not_orgs(nlp):
    groups, _ = orgs(nlp, "Le Conseil s'est réuni à Rabat. La Directrice Générale, Mme Salma Bennani, a présenté "
                          "le plan. Tags\nPartenariat")
    names = {fold(n) for n in groups}
    assert not names & {"conseil", "directrice generale", "tags", "rabat", "partenariat", "salma bennani"}


def test_stock_indices_and_events_are_not_orgs(nlp):
    groups, _ = orgs(nlp, "Le MASI a gagné 0,5%, tandis que le CAC 40 et le DAX reculent avant le Mondial 2030.")
    assert groups == {}


def test_split_ministry_name_is_merged(nlp):
    groups, _ = orgs(nlp, "Le projet s'inscrit dans les objectifs du ministère de la Transition Numérique et de la "
                          "Réforme de l'Administration, a indiqué le communiqué.")
    assert "ministère de la Transition Numérique et de la Réforme de l'Administration" in groups


@pytest.mark.parametrize("text, names", [
    # a portfolio the gazetteer does not know, with lower-case words inside its fields
    ("Les ventes ont reculé, selon le ministère de la Prospective du littoral national, de l'Artisanat rural, "
     "de la Petite entreprise et de la Politique de la mer.",
     {"ministère de la Prospective du littoral national, de l'Artisanat rural, de la Petite entreprise et de la "
      "Politique de la mer"}),
    ("Le ministère de l'Industrie indique que 300 usines ont ouvert.", {"ministère de l'Industrie"}),
    ("Le ministère de l'Economie et des Finances, Nadia Fettah, a indiqué le montant.",
     {"ministère de l'Economie et des Finances"}),
    ("Le ministère de l'Intérieur et Maroc Telecom ont signé un accord.", {"ministère de l'Intérieur", "Maroc Telecom"}),
    ("Selon le ministère de l'Economie, de la CGEM et de Bank Al-Maghrib, la croissance ralentit.",
     {"ministère de l'Economie", "CGEM", "Bank Al-Maghrib"}),
])
def test_a_ministry_s_portfolio_runs_field_after_field(nlp, text, names):
    groups, _ = orgs(nlp, text)
    assert set(groups) == names


@pytest.mark.parametrize("text", [
    # the NER takes "ministre de l'Équipement et de l'" in and leaves the field's end out
    "Le ministre de l'Équipement et de l'Entretien routier, Amédé Koffi Kouakou, a précisé que les travaux débuteront.",
    "Le ministre de l'Économie et des Finances a parlé.",
])
def test_a_minister_s_portfolio_is_no_organisation(nlp, text):
    groups, _ = orgs(nlp, text)
    assert groups == {}


def test_known_names_match_whatever_their_accents_and_length(nlp):
    """The gazetteer writes "l'Economie"; articles write "l'Économie" or drop every accent."""
    groups, _ = orgs(nlp, "Selon le ministère du Tourisme, de l'Artisanat et de l'Économie sociale et solidaire, "
                          "le secteur progresse. Le Ministere de l'Equipement et de l'Eau a lancé 12 chantiers.")
    assert {g.gaz_id: g.name for g in groups.values()} == {
        "mtaess": "ministère du Tourisme, de l'Artisanat et de l'Économie sociale et solidaire",
        "mequip": "Ministere de l'Equipement et de l'Eau"}


def test_entity_running_into_a_verb_is_cut_back_to_the_known_name(nlp):
    groups, _ = orgs(nlp, "La Banque mondiale finance le projet. L'OCP Entrepreneurship Network soutient 20 startups.")
    assert {g.name: g.gaz_id for g in groups.values()} == {"Banque mondiale": "bm", "OCP Entrepreneurship Network": None}
    # the run-on holds a figure: still a verb after the known name
    groups, _ = orgs(nlp, "La Cour des comptes pointe des défaillances dans la gestion de 12 établissements publics. "
                          "Le RNI, le PAM et l'Istiqlal ont voté pour.")
    assert {g.gaz_id for g in groups.values()} == {"cour_comptes", "rni", "pam", "istiqlal"}


def test_a_headline_s_verb_ends_a_name_nobody_knows(nlp):
    """In a headline the NER has little context and runs on into the verb."""
    groups, _ = orgs(nlp, "Tunisie : la Banque de l'Habitat triple son bénéfice")
    assert set(groups) == {"Banque de l'Habitat"}


def test_a_description_introduces_a_company_the_ner_calls_a_place(nlp):
    groups, _ = orgs(nlp, "La start-up Chari a levé 12 M$. Selon Fitch, la note reste stable. "
                          "Le think tank Policy Center for the New South publie un rapport.")
    assert {"Chari", "Fitch", "Policy Center for the New South"} <= set(groups)


def test_every_mention_of_a_found_name_counts(nlp):
    groups, doc = orgs(nlp, "La start-up Hmizate a levé 12 M$. Hmizate est basée à Casablanca.")
    assert sum(1 for s in doc.spans["orgs"] if s._.org_key == groups["Hmizate"].key) == 2


def test_near_miss_spelling_resolves_to_other_mention(nlp):
    groups, _ = orgs(nlp, "Le Technopark accueille 300 entreprises. Le Technoaprk vise 9 sites.")
    (g,) = [g for g in groups.values() if "Technopark" in g.forms]
    assert "Technoaprk" in g.forms and g.gaz_id == "technopark"


def test_near_miss_resolves_through_gazetteer():
    assert gaz_lookup("Attijariwafa bnak") == "attijariwafa"
    assert gaz_lookup("BAM") == "bam" and gaz_lookup("bam") is None


def test_board_of_known_org_is_the_org(nlp):
    groups, _ = orgs(nlp, "Le Conseil de Bank Al-Maghrib a maintenu son taux directeur.")
    assert "Conseil de Bank Al-Maghrib" not in groups
    assert any(g.gaz_id == "bam" for g in groups.values())


def test_the_board_the_ner_took_in_before_an_acronym_is_not_the_name(nlp):
    groups, _ = orgs(nlp, "Le Comité de politique monétaire de la Banque centrale des Etats de l'Afrique de l'Ouest "
                          "(BCEAO) a décidé, lors de sa réunion du 3 juin, de maintenir son taux. La BCEAO table sur "
                          "une inflation de 2%.")
    assert set(groups) == {"Banque centrale des Etats de l'Afrique de l'Ouest"}
    assert "BCEAO" in next(iter(groups.values())).forms


def test_the_board_of_an_organisation_named_by_its_kind_is_not_another_one(nlp):
    groups, _ = orgs(nlp, "Le wali de Bank Al-Maghrib a présidé la réunion trimestrielle du Conseil de la banque.")
    assert set(groups) == {"Bank Al-Maghrib"}


def test_amount_links_to_its_organisation(nlp):
    from datetime import date

    from extractors.pipeline import extract
    from schemas.models import Article

    body = "La Banque mondiale a accordé un prêt de 50 millions de dollars pour les startups marocaines."
    (f,) = extract([Article(article_id="x", source_path="x.txt", body=body, published_date=date(2024, 1, 1))])
    (a,) = f.amounts
    assert a.org_id == "gaz:bm"


def test_a_title_case_acronym_links_to_the_words_that_spell_it(nlp):
    """Small words may give a letter (ADEME: Agence De l'Environnement…), and the
    name starts after an elided article ("l'Agence")."""
    groups, _ = orgs(nlp, "Le groupe s'associe à l'Agence de l'environnement et de la maîtrise de l'énergie "
                          "(Ademe). Selon l'Ademe, le projet avance.")
    (g,) = [g for g in groups.values() if "Ademe" in g.forms]
    assert g.name == "Agence de l'environnement et de la maîtrise de l'énergie"
    assert "Agence de l'environnement" not in groups


def test_known_acronyms_in_title_case_brands_and_statement_terms(nlp):
    groups, _ = orgs(nlp, "Attijariwafa bank : un PNB de 15 MMDH. L'Anapec recrute. Air France et easyJet "
                          "ont ajouté 14 liaisons au départ de Marrakech. Les exportations progressent de 20% "
                          "selon le Gimas.")  # the NER calls Gimas a place
    assert {"anapec", "gimas"} <= {g.gaz_id for g in groups.values()}
    assert "easyJet" in groups and "PNB" not in groups


def test_a_bank_one_word_away_from_a_known_one_is_another_bank(nlp):
    groups, _ = orgs(nlp, "La Banque ouest-africaine de développement (BOAD) prête 45 milliards FCFA, et la "
                          "Banque africaine de développement cofinance le projet.")
    boad = next(g for g in groups.values() if "BOAD" in g.forms)
    assert boad.gaz_id != "bad" and "Banque africaine de développement" not in boad.forms
    assert any(g.gaz_id == "bad" for g in groups.values())
    assert not {"FCFA", "CFA"} & set(groups)  # a currency is not an organisation


def test_an_accented_head_word_still_opens_an_institution_name(nlp):
    groups, _ = orgs(nlp, "La production de gaz a atteint 137 milliards de mètres cubes, selon le ministère de "
                          "l'Energie et des Mines.")
    assert "ministère de l'Energie et des Mines" in groups


@pytest.mark.parametrize("text, expected", [
    pytest.param("Energie : Nareva met en service un parc de 300 MW\nNareva a mis en service son parc de 300 MW. "
                 "Il produira 1.100 GWh, contre 900 GWh pour le précédent.", {"Nareva"}, id="a repeated unit"),
    pytest.param("La production atteindra 200 millions de tonnes équivalent pétrole (TEP) en 2029, selon l'Office "
                 "national des hydrocarbures et des mines (ONHYM). La TEP sert d'unité.",
                 {"Office national des hydrocarbures et des mines"}, id="a term spelled by lower-case words"),
    pytest.param("Le port vise 13 millions de conteneurs à l'horizon 2030, grâce à l'extension du terminal TC4, "
                 "un investissement de 4 milliards de dirhams.", set(), id="a code with a figure"),
])
def test_words_that_look_like_acronyms_are_not_organisations(nlp, text, expected):
    groups, _ = orgs(nlp, text)
    assert set(groups) == expected


def test_a_name_the_ner_cut_before_its_country_runs_on_to_it(nlp):
    groups, _ = orgs(nlp, "La Société nationale des télécommunications du Sénégal (Sonatel) a réalisé un bénéfice "
                          "net de 345 milliards de francs CFA au titre de l'exercice 2024.")
    assert groups["Société nationale des télécommunications du Sénégal"].forms[-1] == "Sonatel"
    assert "CFA" not in groups


def test_a_short_name_in_brackets_spelled_from_the_name_before_it(nlp):
    groups, _ = orgs(nlp, "Le projet est porté par la Société nationale d'électricité du Sénégal (Senelec). "
                          "L'usine Renault (Douai) tourne à plein régime.")
    assert groups["Société nationale d'électricité du Sénégal"].forms[-1] == "Senelec"
    assert "Douai" not in groups["Renault"].forms


def test_a_regional_institution_named_by_its_field_in_lower_case_runs_on_to_its_place(nlp):
    groups, _ = orgs(nlp, "Le Conseil régional du tourisme de Marrakech-Safi et le Centre régional d'investissement "
                          "de Fès-Meknès ont signé une convention.")
    assert {"Conseil régional du tourisme de Marrakech-Safi", "Centre régional d'investissement de Fès-Meknès"} \
        <= set(groups)


def test_a_name_in_capitals_that_starts_like_a_determiner_keeps_its_letters(nlp):
    """'CESE' is no 'ce' + 'SE', 'SAZ' no 'sa' + 'Z'; the longest name before '(SAZ)' is the one it
    abbreviates, not the place that ends it."""
    groups, _ = orgs(nlp, "Le CESE a publié son avis. La Société d'aménagement de Zenata (SAZ), filiale de la CDG, "
                          "a cédé le terrain. LAFARGE annonce une hausse.")
    assert {"CESE", "LAFARGE"} <= set(groups)
    assert "SAZ" in groups["Société d'aménagement de Zenata"].forms
    assert not {"SE", "Z", "FARGE", "Zenata"} & set(groups)


def test_the_place_an_institution_is_named_after_is_no_organisation_alone(nlp):
    """The NER calls a little-known place an organisation; the name it ends says it is a place."""
    text = ("La plateforme ouvre dans la zone de Zenata. DHL Express a inauguré mardi à Zenata un entrepôt. "
            "La Société d'aménagement de Zenata a cédé le terrain.")
    groups, doc = orgs(nlp, text)
    assert "Zenata" in {e.text for e in doc.ents if e.label_ == "ORG"}  # what the rule corrects
    assert "Société d'aménagement de Zenata" in groups and "Zenata" not in groups


def test_a_capitalised_phrase_the_text_writes_in_lower_case_is_words(nlp):
    groups, doc = orgs(nlp, "Crédit bancaire : l'encours progresse de 4,2%\nL'encours du crédit bancaire a atteint "
                            "1.123 milliards de dirhams, selon Bank Al-Maghrib.")
    assert "Crédit bancaire" in {e.text for e in doc.ents if e.label_ == "ORG"}  # what the rule corrects
    assert set(groups) == {"Bank Al-Maghrib"}


def test_an_institution_name_goes_on_with_its_purpose(nlp):
    groups, _ = orgs(nlp, "Le Fonds Mohammed VI pour l'investissement mobilisera 45 MMDH. L'Agence Atlas pour la "
                          "période 2024 est citée. Le Fonds Hassan II pour le développement économique et social "
                          "investit.")
    assert {"Fonds Mohammed VI pour l'investissement", "Agence Atlas",
            "Fonds Hassan II pour le développement économique et social"} <= set(groups)


def test_events_and_the_acronyms_they_define_are_not_organisations(nlp):
    groups, _ = orgs(nlp, "Le Salon international de l'agriculture au Maroc (SIAM) a ouvert ses portes. Le SIAM "
                          "attire 1 million de visiteurs, comme la COP29. La Conférence des Nations unies sur le "
                          "commerce et le développement publie son rapport.")
    assert not {"SIAM", "COP29", "Salon international de l'agriculture au Maroc"} & set(groups)
    assert any(g.gaz_id == "cnuced" for g in groups.values())  # a known body whose name opens like an event


@pytest.mark.parametrize("title, found", [
    ("Akdital Lance Une Nouvelle Clinique À Tanger", {"Akdital"}),  # Title Case: what the body confirms
    ("Akdital lance une clinique avec la société Vitalis", {"Akdital", "Vitalis"}),  # as usual
])
def test_names_in_a_title_case_headline_count_when_the_body_has_them(nlp, title, found):
    doc = nlp.make_doc(f"{title}\n\nLe groupe Akdital a inauguré une clinique de 150 lits à Tanger, a annoncé "
                       "la société mardi.")
    doc._.title_end = len(title)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert {g.name for g in doc._.organizations} == found


def test_a_name_ends_at_the_end_of_its_line(nlp):
    groups, _ = orgs(nlp, "Accord avec la société Vitalis\n\nLe groupe Akdital a signé mardi.")
    assert "Vitalis" in groups


def test_a_known_name_in_lower_case_is_a_word(nlp):
    groups, _ = orgs(nlp, "Il est arrivé le matin. Dans le monde, les prix montent. Selon Le Matin, la Banque "
                          "mondiale agit.")
    assert {g.gaz_id for g in groups.values()} == {"lematin", "bm"}
    assert all(f[:1].isupper() for g in groups.values() for f in g.forms)


def test_companies_the_ner_misses_at_the_start_of_a_sentence_are_known(nlp):
    groups, _ = orgs(nlp, "En bref\n\nLydec a investi 1,2 milliard de dirhams dans le réseau. Tamwilcom garantit des "
                          "prêts aux TPE.")
    assert {g.gaz_id for g in groups.values()} >= {"lydec", "ccg"}
    groups, _ = orgs(nlp, "Le Raja s'est imposé face à la RS Berkane, tandis que l'AS FAR a battu le Maghreb de "
                          "Fès (MAS).")
    assert {g.gaz_id for g in groups.values()} == {"raja", "rsb", "asfar", "mas"}


def test_a_known_company_with_its_group_word_is_that_company(nlp):
    groups, _ = orgs(nlp, "Marjane Group ouvre 5 magasins. Marjane recrute. CDG Capital conseille la CDG.")
    assert set(groups["Marjane Group"].forms) == {"Marjane Group", "Marjane"}
    assert "CDG Capital" in groups  # a subsidiary: "capital" is no group word


def test_a_people_and_the_acronym_it_defines_are_not_organisations(nlp):
    groups, _ = orgs(nlp, "Les Marocains résidant à l'étranger (MRE) ont transféré 110 milliards de dirhams. Les MRE "
                          "sont nombreux. La Marocaine des jeux et des sports (MDJS) a financé 3 clubs.")
    assert set(groups) == {"Marocaine des jeux et des sports"}


def test_a_word_in_a_headline_written_in_capitals_is_not_an_acronym(nlp):
    groups, doc = orgs(nlp, "AUTOMOBILE : STELLANTIS PORTE SA CAPACITÉ À KÉNITRA À 535.000 VÉHICULES\nLe "
                            "constructeur Stellantis a annoncé l'extension de son usine de Kénitra, qui emploie "
                            "3.500 personnes.")
    assert set(groups) == {"Stellantis"}
    assert [s.text for s in doc.spans["orgs"]] == ["STELLANTIS", "Stellantis"]


def test_a_holder_s_title_the_ner_took_in_is_not_part_of_the_name(nlp):
    groups, _ = orgs(nlp, "La Directrice Générale de la Banque Populaire et le Directeur de la Communication "
                          "étaient présents.")
    assert "Banque Populaire" in groups
    assert not {fold(n) for n in groups} & {"communication", "directeur de la communication"}


@pytest.mark.parametrize("text, companies, not_orgs", [
    pytest.param("Le chantier a été confié à l'espagnol Acciona, tandis que le géant danois Maersk exploite le "
                 "terminal. Le Français Thomas Pesquet et le marocain Achraf Hakimi étaient là.",
                 {"Acciona", "Maersk"}, {"thomas pesquet", "achraf hakimi"}, id="introduced by a nationality"),
    pytest.param("Maghreb Steel a clôturé son augmentation de capital, a annoncé le sidérurgiste. "
                 "Le Grand Casablanca en profite. Le consortium formé par Vinci Construction a remporté le marché.",
                 {"Maghreb Steel", "Vinci Construction"}, {"grand casablanca"}, id="ending in a company word"),
    pytest.param("Parmi les plus fortes hausses figurent TGCC (+8,4%) et Sonasid (+6,2%), tandis que les "
                 "exportations vers la France (+4%) progressent et que l'inflation (+2,3%) ralentit.",
                 {"TGCC", "Sonasid"}, {"france", "la france", "l'inflation", "inflation"},
                 id="listed with a share-price move"),
    pytest.param("La compagnie nationale des hydrocarbures Sonatrach a signé dimanche. La société basée à "
                 "Casablanca emploie 300 personnes. Le groupe présidé par Aziz Akhannouch a annoncé ses résultats.",
                 {"Sonatrach"}, {"casablanca", "aziz akhannouch"}, id="a description with words of its own"),
    # the NER calls these a person and a place
    pytest.param("Il s'agissait, en partenariat avec Larimogroup (premier organisateur de salons en Afrique), "
                 "d'organiser des rencontres, puis avec Belvarogroup (leader des rencontres B to B).",
                 {"Larimogroup", "Belvarogroup"}, set(), id="glued to a company ending"),
    # the NER takes the description into the name
    pytest.param("Le groupe Kalidal a racheté une clinique. L'opérateur Wanu et Maroc Telecom ont signé.",
                 {"Kalidal", "Wanu", "Maroc Telecom"}, {"groupe kalidal", "operateur wanu"},
                 id="a description the NER took in"),
    # a description right before a name the NER calls a person; "de" before it makes it the owner
    pytest.param("Le fonds souverain Ithmar Al Mawarid a investi, conseillé par la banque d'affaires Morgan "
                 "Stanley. L'entreprise de Karim Alaoui a levé 2 millions de dirhams.",
                 {"Ithmar Al Mawarid", "Morgan Stanley"}, {"karim alaoui"}, id="a description before a person"),
    # a product: the common noun before it, the model code after the maker
    pytest.param("Safran a annoncé une usine de maintenance des moteurs LEAP, qui équipent les Airbus A320neo.",
                 {"Safran", "Airbus"}, {"leap", "airbus a320neo"}, id="a product named after a common noun"),
    pytest.param("Les sites produiront des pièces de moteurs LEAP pour Safran.", {"Safran"}, {"leap"},
                 id="a product after 'de' and a common noun"),
    # a description right before a name the NER calls a place; after "de", a place or an owner follows
    pytest.param("La société marocaine Akwa investit. La banque de Rabat ferme. Le groupe d'Aziz Akhannouch "
                 "investit.", {"Akwa"}, {"rabat", "akhannouch", "aziz akhannouch"},
                 id="a description before a place"),
    # an adjective between the head and the named part
    pytest.param("Le Conseil régional de Casablanca-Settat financera 30 projets, avec la Banque mondiale et "
                 "l'Agence française de développement. Le conseil régional de Fès-Meknès aussi.",
                 {"Conseil régional de Casablanca-Settat", "Banque mondiale", "Agence française de développement"},
                 {"fes-meknes"}, id="an adjective after the head"),
    # a description in commas after a name the NER calls a person; a person's role there is no description
    pytest.param("Petrosen, la société nationale, détient 18% des parts. Karim Alaoui, le patron du groupe, a parlé.",
                 {"Petrosen"}, {"karim alaoui"}, id="a description in commas after the name"),
])
def test_companies_the_ner_misses_or_misnames(nlp, text, companies, not_orgs):
    groups, _ = orgs(nlp, text)
    assert companies <= set(groups)
    assert not {fold(n) for n in groups} & not_orgs


@pytest.mark.parametrize("title, found", [
    ("EXCLUSIF | CIH Bank prépare une levée de 1,5 milliard de dirhams", {"CIH Bank"}),
    ("VIDÉO. Akdital attend un million de patients", {"Akdital"}),
])
def test_a_headline_s_label_is_neither_an_organisation_nor_part_of_one(nlp, title, found):
    groups, _ = orgs(nlp, f"{title}\n\nLe groupe prépare une augmentation de capital, selon nos sources.")
    assert set(groups) == found


def test_a_shouted_headline_s_small_words_and_crude_benchmarks_are_not_organisations(nlp):
    groups, _ = orgs(nlp, "PÉTROLE : LE BRENT REPASSE LA BARRE DES 80 DOLLARS\n\nLES PRIX DU BRUT ONT BONDI DE PLUS DE 4% "
                          "APRÈS L'ANNONCE DE L'OPEP+.\nLe baril de West Texas Intermediate (WTI) a avancé de 3,9%, "
                          "selon l'Agence internationale de l'énergie.")
    assert set(groups) == {"Agence internationale de l'énergie"}


def test_a_known_ministry_written_in_lower_case_is_still_the_ministry(nlp):
    groups, _ = orgs(nlp, "Le Maroc a levé 2 milliards d'euros, a annoncé le ministère de l'économie et des finances "
                          "dans un communiqué publié le matin même.")
    assert [g.gaz_id is not None for g in groups.values()] == [True]


def test_a_known_organisation_named_only_through_its_description_takes_its_own_name(nlp):
    groups, _ = orgs(nlp, "Le groupe OCP a relevé ses prévisions. Selon l'OCP, la demande reste forte.")
    assert list(groups) == ["Groupe OCP"]


def test_an_unknown_acronym_after_an_article_is_a_name_once_but_not_a_plan_or_a_shouted_word(nlp):
    groups, _ = orgs(nlp, "La BIDC finance le projet, selon le PLF. Les MRE ont transféré 117 MMDH.\n"
                          "LES PRIX ONT BONDI APRÈS L'ANNONCE DE LA BANQUE.")
    assert set(groups) == {"BIDC"}


def test_a_chamber_is_named_by_its_fields_and_its_region(nlp):
    groups, _ = orgs(nlp, "La Chambre de commerce, d'industrie et de services de Tanger-Tétouan-Al Hoceima accompagnera "
                          "les PME, et la Chambre d'agriculture de Souss-Massa a alerté sur la sécheresse.")
    assert set(groups) == {"Chambre de commerce, d'industrie et de services de Tanger-Tétouan-Al Hoceima",
                           "Chambre d'agriculture de Souss-Massa"}


def test_a_plan_or_a_programme_is_not_an_organisation_unless_known_as_a_body(nlp):
    groups, _ = orgs(nlp, "Le Plan Génération Green mobilise 3 MMDH, selon le ministère de l'Agriculture. Le Programme "
                          "des Nations unies pour le développement (PNUD) soutient le Plan d'accélération industrielle (PAI).")
    assert set(groups) == {"ministère de l'Agriculture", "Programme des Nations unies pour le développement"}


def test_the_name_after_a_company_officer_s_title_is_a_company_the_ner_took_for_a_place(nlp):
    """Or took in with the title: "Directrice Générale de Digitalia" is Digitalia, even one word."""
    groups, _ = orgs(nlp, "M. Hakim Benali, directeur général de Forafric, a annoncé une levée. Le fondateur de Chari, "
                          "Ismael Belkhayat, a levé des fonds. Le président de Casablanca-Settat a salué l'initiative. "
                          "La Directrice Générale de Digitalia, Meriem Tazi, détaille la feuille de route. "
                          "Le Directeur de la Communication a présenté le bilan.")
    assert set(groups) == {"Forafric", "Chari", "Digitalia"}


def test_the_known_name_in_other_capitals_is_not_another_alias(nlp):
    groups, _ = orgs(nlp, "L'Agence Marocaine de Développement des Investissements et des Exportations (AMDIE) "
                          "accompagne le projet.")
    (g,) = groups.values()
    assert g.gaz_id is not None and g.extra_aliases == []  # the gazetteer writes it in lower case
    assert sorted(g.forms) == ["AMDIE", "Agence Marocaine de Développement des Investissements et des Exportations"]


def test_a_known_title_keeps_its_article_in_its_name(nlp):
    """"Selon Le Matin": the paper is "Le Matin", not "Matin"."""
    groups, _ = orgs(nlp, "Selon Le Matin, le port a franchi un cap. D'après L'Economiste, la hausse continue.")
    assert {"Le Matin", "L'Economiste"} <= set(groups)


def test_a_port_authority_is_a_company_and_ends_before_the_next_name(nlp):
    """"Port autonome de Dakar" is the company ("le port de Dakar" is a place); a name the NER saw on its
    own after "et" is another one, not the end of the first."""
    groups, _ = orgs(nlp, "Le Port autonome de Douala et Camtel ont signé un accord. Le port de Kribi s'agrandit.")
    assert "Port autonome de Douala" in groups
    assert not [n for n in groups if "Camtel" in n and "Douala" in n] and "port de Kribi" not in groups
