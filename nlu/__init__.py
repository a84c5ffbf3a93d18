"""Understanding everyday Indonesian complaint messages.

    from nlu import RuleNlu, Understanding
    nlu = RuleNlu(region_scope="35.78")          # Kota Surabaya
    parse = nlu.parse("jalan depan SD bolong udah 2 minggu", now)
    parse.intent, parse.category, parse.entity("date")

The dialog engine depends on ``Understanding`` only; ``RuleNlu`` (also exported as ``Nlu``)
implements it with rules, patterns and a classifier trained from the Rasa files in
``nlu/data/`` (``python -m nlu.train``; evaluation: ``nlu.evaluate``). Importing this package is cheap: dateparser and the region list load
on first use.
"""

from .entities.date import DateResult, parse_date
from .entities.phone import parse_phone
from .interface import Understanding
from .normalize import normalize
from .parser import Nlu, RuleNlu
from .regions import Gazetteer, PlaceMatch
from .result import Entity, Parse

__all__ = [
    "DateResult",
    "Entity",
    "Gazetteer",
    "Nlu",
    "Parse",
    "PlaceMatch",
    "RuleNlu",
    "Understanding",
    "normalize",
    "parse_date",
    "parse_phone",
]
