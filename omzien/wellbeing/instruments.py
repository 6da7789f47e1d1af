# SPDX-License-Identifier: EUPL-1.2
"""The loneliness scales, declared as data: items, wording (nl/en), polarity, subscales, cut-offs.

Sources and open questions: research/measurement.md (copied rules; §1 DJG-11, §2 DJG-6, §3 UCLA-3).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    number: int  # in the 11-item numbering for the De Jong Gierveld scales
    nl: str
    en: str
    positive: bool  # positively worded: "nee" (no) counts as lonely
    subscale: str  # "social" or "emotional" ("" for UCLA-3)


@dataclass(frozen=True)
class Category:
    code: str
    low: int
    high: int


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    items: tuple[Item, ...]
    categories: tuple[Category, ...]
    max_missing_total: int
    max_missing_subscale: int | None  # None: no subscales
    subscale_lonely_from: int | None
    # Reliable change (Jacobson & Truax 1991): the scale's SD and reliability, with where they come from.
    rci_sd: float = 1.0
    rci_reliability: float = 0.8
    rci_source: str = ""

    @property
    def columns(self) -> list[str]:
        return [f"item_{item.number}" for item in self.items]


DJG_ITEMS = (
    Item(1, "Er is altijd wel iemand in mijn omgeving bij wie ik met mijn dagelijkse probleempjes terecht kan.",
         "There is always someone I can talk to about my day-to-day problems.", True, "social"),
    Item(2, "Ik mis een echt goede vriend of vriendin.", "I miss having a really close friend.", False, "emotional"),
    Item(3, "Ik ervaar een leegte om me heen.", "I experience a general sense of emptiness.", False, "emotional"),
    Item(4, "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.",
         "There are plenty of people I can rely on when I have problems.", True, "social"),
    Item(5, "Ik mis gezelligheid om me heen.", "I miss the pleasure of the company of others.", False, "emotional"),
    Item(6, "Ik vind mijn kring van kennissen te beperkt.", "I find my circle of friends and acquaintances too limited.",
         False, "emotional"),
    Item(7, "Ik heb veel mensen op wie ik volledig kan vertrouwen.", "There are many people I can trust completely.",
         True, "social"),
    Item(8, "Er zijn voldoende mensen met wie ik me nauw verbonden voel.", "There are enough people I feel close to.",
         True, "social"),
    Item(9, "Ik mis mensen om me heen.", "I miss having people around me.", False, "emotional"),
    Item(10, "Vaak voel ik me in de steek gelaten.", "I often feel rejected.", False, "emotional"),
    Item(11, "Wanneer ik daar behoefte aan heb, kan ik altijd bij mijn vrienden terecht.",
         "I can call on my friends whenever I need them.", True, "social"),
)  # fmt: skip

DJG11 = Instrument(
    code="djg11",
    name="De Jong Gierveld, 11 items",
    items=DJG_ITEMS,
    categories=(
        Category("not_lonely", 0, 2),
        Category("moderate", 3, 8),
        Category("severe", 9, 10),
        Category("very_severe", 11, 11),
    ),  # fmt: skip
    max_missing_total=2,
    max_missing_subscale=1,
    subscale_lonely_from=3,
    rci_sd=2.9,
    rci_reliability=0.84,
    rci_source="r: Cronbach's alpha .80–.90 (De Jong Gierveld & Van Tilburg 1999, manual); SD: UNCONFIRMED, "
    "to be replaced by the SD of the municipality's own baseline survey",
)
DJG6 = Instrument(
    code="djg6",
    name="De Jong Gierveld, 6 items",
    items=tuple(item for item in DJG_ITEMS if item.number in (3, 4, 7, 8, 9, 10)),
    categories=(Category("not_lonely", 0, 1), Category("moderate", 2, 4), Category("severe", 5, 6)),
    max_missing_total=1,
    max_missing_subscale=0,
    subscale_lonely_from=1,
    rci_sd=1.7,
    rci_reliability=0.73,
    rci_source="r: alpha .70–.76 (De Jong Gierveld & Van Tilburg 2006); SD: UNCONFIRMED, from the local baseline",
)
UCLA3 = Instrument(
    code="ucla3",
    name="UCLA 3 items (Hughes et al. 2004)",
    items=(
        Item(
            1,
            "Hoe vaak heeft u het gevoel dat u gezelschap mist?",
            "How often do you feel that you lack companionship?",
            False,
            "",
        ),
        Item(2, "Hoe vaak voelt u zich buitengesloten?", "How often do you feel left out?", False, ""),
        Item(
            3,
            "Hoe vaak voelt u zich geïsoleerd van anderen?",
            "How often do you feel isolated from others?",
            False,
            "",
        ),
    ),
    categories=(Category("not_lonely", 3, 5), Category("lonely", 6, 9)),
    max_missing_total=0,
    max_missing_subscale=None,
    subscale_lonely_from=None,
    rci_sd=1.6,
    rci_reliability=0.72,
    rci_source="r: alpha .72 (Hughes et al. 2004); SD: UNCONFIRMED, from the local baseline",
)
INSTRUMENTS = {instrument.code: instrument for instrument in (DJG11, DJG6, UCLA3)}

# The ONS direct question is not scored: the answer is stored as an ordinal (1 = often/always … 5 = never).
ONS_CODE = "ons"
ONS_QUESTION = ("Hoe vaak voelt u zich eenzaam?", "How often do you feel lonely?")
ONS_ANSWERS = (
    (1, "vaak of altijd", "often or always"),
    (2, "soms", "some of the time"),
    (3, "af en toe", "occasionally"),
    (4, "zelden", "hardly ever"),
    (5, "nooit", "never"),
)
