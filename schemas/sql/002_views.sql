-- Analyst views: plain joins so a question is one SELECT.
CREATE OR REPLACE VIEW v_amounts AS
SELECT a.published_date, a.publisher, a.title, m.text, m.value, m.value_max, m.currency,
       m.approximate, o.name AS organization, m.sentence, m.article_id
FROM amounts m JOIN articles a USING (article_id)
LEFT JOIN organizations o ON o.org_id = m.org_id;

CREATE OR REPLACE VIEW v_org_mentions AS
SELECT o.org_id, o.name AS organization, o.acronym, a.published_date, a.publisher, a.title,
       m.text, m.sentence, m.article_id
FROM org_mentions m JOIN organizations o USING (org_id) JOIN articles a USING (article_id);

CREATE OR REPLACE VIEW v_org_counts AS
SELECT o.org_id, o.name AS organization, o.acronym,
       count(DISTINCT m.article_id) AS articles, count(*) AS mentions
FROM organizations o JOIN org_mentions m USING (org_id)
GROUP BY ALL;
