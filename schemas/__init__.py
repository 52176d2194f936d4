"""Facts model and warehouse SQL: knows neither spaCy nor Prefect."""
from schemas.models import (
    Amount,
    Article,
    ArticleFacts,
    DateFact,
    Metric,
    Organization,
    OrgMention,
    Reject,
)

__all__ = [
    "Amount",
    "Article",
    "ArticleFacts",
    "DateFact",
    "Metric",
    "OrgMention",
    "Organization",
    "Reject",
]
