"""The result of a screening, derived by a pure function of the factors present (no database, no
user): flags, priority and the specialised assessments required. Everything it knows comes from
the catalogue in factors.py."""

from dataclasses import dataclass

from awda.cases.choices import Priority

from .factors import ACCUMULATION, BY_CODE, FACTORS, REQUIREMENTS


@dataclass(frozen=True)
class Result:
    flags: frozenset[str]
    priority: int
    requirements: tuple[str, ...]  # requirement codes, in catalogue order


def present_codes(factors: dict) -> frozenset[str]:
    """The codes of the factors answered yes in a {code: bool} mapping (unknown codes ignored;
    the service refuses them before)."""
    return frozenset(code for code, value in factors.items() if value and code in BY_CODE)


def derive(codes) -> Result:
    """Flags, priority and required assessments for the set of factor codes present.

    Priority is the highest priority of the factors present, raised by the accumulation rules
    (several factors together); with no factor it is normal. Monotonic: adding a factor never
    lowers it."""
    present = [f for f in FACTORS if f.code in set(codes)]
    priority = max((f.priority for f in present), default=Priority.NORMAL)
    for count, level, raises_to in ACCUMULATION:
        if sum(1 for f in present if f.priority >= level) >= count:
            priority = max(priority, raises_to)
    required = []
    for f in present:
        for code in f.requires:
            if code not in required:
                required.append(code)
    order = list(REQUIREMENTS)
    return Result(
        flags=frozenset(f.flag for f in present),
        priority=int(priority),
        requirements=tuple(sorted(required, key=order.index)),
    )
