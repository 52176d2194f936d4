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

CREATE OR REPLACE VIEW v_dates AS
SELECT a.published_date, a.publisher, a.title, d.text, d.value, d.granularity, d.start_date, d.end_date,
       d.relative, d.sentence, d.article_id
FROM dates d JOIN articles a USING (article_id);

CREATE OR REPLACE VIEW v_metrics AS
SELECT a.published_date, a.publisher, a.title, m.text, m.value, m.unit, m.name, m.approximate,
       m.sentence, m.article_id
FROM metrics m JOIN articles a USING (article_id);

-- One row per extracted article (copies and non-French articles left out), with its fact counts.
CREATE OR REPLACE VIEW v_articles AS
SELECT a.article_id, a.published_date, a.publisher, a.title, a.url, a.source_path,
       (SELECT count(*) FROM org_mentions x WHERE x.article_id = a.article_id) AS org_mentions,
       (SELECT count(*) FROM amounts x WHERE x.article_id = a.article_id) AS amounts,
       (SELECT count(*) FROM dates x WHERE x.article_id = a.article_id) AS dates,
       (SELECT count(*) FROM metrics x WHERE x.article_id = a.article_id) AS metrics
FROM articles a
WHERE a.duplicate_of IS NULL AND a.language = 'fr';
