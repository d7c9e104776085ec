"""The plain result of one extraction, independent of gRPC."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

GOLD_FIELDS = ("intent", "name", "phone", "date", "time", "part_of_day", "service", "confirm")
EXPECTS = ("intent", "name", "phone", "datetime", "service", "confirm")
INTENTS = ("book", "cancel", "reschedule", "human", "info")
SERVICES = (
    "cleaning",
    "checkup",
    "emergency",
    "filling",
    "crown",
    "root_canal",
    "extraction",
    "whitening",
    "consultation",
)
PARTS_OF_DAY = ("morning", "afternoon", "evening")


@dataclass
class Confidence:
    intent: float = 0.0
    name: float = 0.0
    phone: float = 0.0
    date: float = 0.0
    time: float = 0.0
    part_of_day: float = 0.0
    service: float = 0.0
    confirm: float = 0.0


@dataclass
class Extraction:
    """Values follow tests/corpus/FORMAT.md; None where nothing was found."""

    intent: str | None = None
    name: str | None = None
    phone: str | None = None
    date: str | None = None
    time: str | None = None
    part_of_day: str | None = None
    service: str | None = None
    confirm: str | None = None
    cleaned_text: str = ""
    confidence: Confidence = field(default_factory=Confidence)
    engine: str = "rules"
    # Share of tokens removed as speech artefacts (fillers, repeats, repairs).
    artifact_ratio: float = 0.0

    def gold_fields(self) -> dict[str, str | None]:
        return {f: getattr(self, f) for f in GOLD_FIELDS}

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def mean_confidence(self) -> float:
        """Mean confidence over the fields that were filled (0 when none)."""
        values = [getattr(self.confidence, f) for f in GOLD_FIELDS if getattr(self, f)]
        return sum(values) / len(values) if values else 0.0
