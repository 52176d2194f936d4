"""The one exception a stage raises for input it cannot use."""


class RejectError(Exception):
    """Bad input: carries a short machine reason and a human detail."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
