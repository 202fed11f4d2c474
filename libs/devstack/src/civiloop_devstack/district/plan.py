"""What the full-scale Kun District holds, at a scale (1.0 is the report's own figures).

775,000 residents in 13 towns and streets and their communities, 114,000 registered
volunteers (14.7%), 221 organisations, a team of each of six kinds per community, service
hours averaging about 20 h from activity sheets, the honours 6/129/119/103/44/57 and a needs
survey of 220 residents. Everything is drawn from one seed, so two runs make the same district.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from civiloop_devstack.demo import with_check_digit

CENTRE = "kunqu"
RESIDENTS, VOLUNTEERS, ORGANISATIONS = 775_000, 114_000, 221
INSTITUTES, STATIONS_PER_INSTITUTE = 13, 10
# 全国孝心少年 6, 道德模范 129, 身边好人 119, 美德少年 103, 文明农牧民 44, 学雷锋"四个优秀" 57.
HONOURS = {"filial_youth": 6, "moral_model": 129, "good_person": 119, "virtuous_youth": 103,
           "civilised_herder": 44, "lei_feng": 57}
LEI_FENG_KINDS = ("volunteer", "organisation", "project", "community")
# The six kinds of team: (specialty, platform), as the demo's six people.
TEAM_KINDS = [("medicine_health", "science"), ("law", "education"),
              ("science_tech", "science"), ("culture_sport", "culture"),
              ("culture_heritage", "education"), ("party_members", "theory")]
SURVEY_RESIDENTS = 220
MEAN_HOURS, DAY_HOURS = 20.0, 8.0


@dataclass
class DistrictPlan:
    """The district at ``scale``: its units, head-counts and the seeded draws."""

    scale: float = 1.0
    seed: int = 2026
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def _scaled(self, n: int, least: int = 1) -> int:
        return max(least, round(n * self.scale))

    @property
    def institutes(self) -> list[str]:
        """Town and street codes (所)."""
        return [f"kq-town{i + 1:02d}" for i in range(min(INSTITUTES, self._scaled(13, 2)))]

    @property
    def stations(self) -> list[tuple[str, str]]:
        """(community code, its town) for every station (站)."""
        per = max(1, min(STATIONS_PER_INSTITUTE,
                         round(STATIONS_PER_INSTITUTE * self.scale * INSTITUTES
                               / len(self.institutes))))
        return [(f"{town}-c{j + 1:02d}", town) for town in self.institutes for j in range(per)]

    @property
    def residents(self) -> int:
        """Residents in all (population figures, stats)."""
        return self._scaled(RESIDENTS, 1000)

    @property
    def volunteers(self) -> int:
        """Registered volunteers in all (volunteers service)."""
        return self._scaled(VOLUNTEERS, 10)

    @property
    def organisations(self) -> int:
        """Volunteer organisations."""
        return self._scaled(ORGANISATIONS, 3)

    def honours(self) -> dict[str, int]:
        """Honours per title (scaled below full scale, at least one of each)."""
        return {title: max(1, math.ceil(n * min(1.0, self.scale))) for title, n in
                HONOURS.items()}

    def share(self, total: int, i: int, parts: int) -> int:
        """Part ``i`` of ``total`` split into ``parts`` as evenly as whole numbers go."""
        return total // parts + (1 if i < total % parts else 0)

    def person(self, n: int) -> dict[str, str]:
        """The ``n``-th volunteer's name, ID number, phone and number (unique in the run)."""
        born = date(1950, 1, 1) + timedelta(days=n // 1000)  # n ↔ (birthday, sequence)
        body = f"150203{born:%Y%m%d}{n % 1000:03d}"
        surname = "王李张刘陈杨赵黄周吴"[n % 10]
        return {"name": f"{surname}{'建国芳华明丽军静强敏伟'[n // 10 % 11]}{n}",
                "id_number": with_check_digit(body[:17]),
                "phone": f"13{n % 1_000_000_000:09d}",
                "volunteer_number": f"KQ{n:08d}"}

    def hours_of(self) -> list[float]:
        """One volunteer's lines of hours: a total drawn around 20 h, in days of at most 8 h."""
        total = round(min(400.0, self.rng.expovariate(1 / MEAN_HOURS)) * 2) / 2
        lines = []
        while total > 0:
            lines.append(min(DAY_HOURS, total))
            total = round(total - lines[-1], 1)
        return lines or [0.5]
