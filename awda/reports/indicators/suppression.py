"""Small-cell suppression (domain.md section 9: public or shared aggregates hide counts under
k, as the Counter Trafficking Data Collaborative does; AWDA_HXL_MIN_CELL, 11 by default).

Two levels, both applied to a copy of a table (docs/indicators.md, "Small-cell suppression"):

- `suppress_restricted` (every output: dashboard, API, CSV, XLSX, HXL, donor report): the
  restricted columns only (the vulnerability categories that carry restricted data: trafficking,
  health and disability, child protection, and "any vulnerability" that sums them up);
- `suppress` (the shared outputs: the HXL file and the donor report): every count.

The rules:
1. a count from 1 to k-1 is suppressed (zero is shown: there is nobody to identify);
2. a restricted count is also suppressed, whatever its value (zero included), when the count it
   is a share of (its `basis`, the row's returnees) is from 1 to k-1: otherwise "0 shown, 1 to
   k-1 hidden" would tell who has the attribute in a small group;
3. a median, percentile, mean or amount is suppressed with the count it is computed over (its
   `basis`);
4. complementary suppression, over every set of cells that add up to a figure shown:
   - in a row, the counts of a group (female/male; the age bands) and the count they make up
     (`within`: the returnees);
   - down a column (counts and amounts; money per currency), the rows and the column's total:
     the total is shown in the totals row and in the table grouped by "total", so it is never
     left out of the sum;
   when exactly one cell of a set is suppressed, or the suppressed cells of a set add up (which
   the figures shown give away) to 1 to k-1, the smallest non-zero cell of the set still shown
   is suppressed too, never the total (the row's base count or the column's total: they are
   shown elsewhere anyway), and again until no set gives a suppressed cell away.

Limits: a table grouped by one dimension and another grouped by another can still be compared,
and the donor's co-funded projects or distinct counts (a person in two months) add up only
approximately: the rule protects each table with its totals, not every combination of tables."""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings

from .base import SUPPRESSED, Column, IndicatorTable


def min_cell() -> int:
    return int(getattr(settings, "AWDA_HXL_MIN_CELL", 11))


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_figure(value) -> bool:
    return (_is_count(value) or isinstance(value, Decimal | float)) and value is not SUPPRESSED


def _small(value, k: int) -> bool:
    return _is_count(value) and 0 < value < k


@dataclass
class _Set:
    """Cells that add up: the parts, and the figure they make up (None when it is not in the
    table). `counts`: the parts are counts (the "sum under k" test applies), not amounts."""

    parts: list[tuple[int, str]]
    total: tuple[int, str] | None
    counts: bool


class _Grid:
    """The table's rows then its totals, as one list of lines, with the rules applied to it."""

    def __init__(self, table: IndicatorTable, k: int, *, only_restricted: bool):
        self.table = table
        self.k = k
        self.only_restricted = only_restricted
        self.lines = [dict(r) for r in table.rows] + [dict(t) for t in table.totals]
        self.n_rows = len(table.rows)
        self.columns = table.columns

    def get(self, cell):
        line, key = cell
        return self.lines[line].get(key)

    def hide(self, cell) -> None:
        line, key = cell
        self.lines[line][key] = SUPPRESSED

    # ---- rules 1 to 3 -------------------------------------------------------------------------

    def _subject(self, column: Column) -> bool:
        """A column the rules apply to at this level."""
        return column.restricted or not self.only_restricted

    def primary(self) -> None:
        for line in range(len(self.lines)):
            for c in self.columns:
                if (
                    c.kind == "count"
                    and self._subject(c)
                    and _small(self.get((line, c.key)), self.k)
                ):
                    self.hide((line, c.key))
            self.follow(line)

    def follow(self, line: int) -> None:
        """Rules 2 and 3: a figure goes with the count it is computed over."""
        row = self.lines[line]
        for c in self.columns:
            if not c.basis or not self._subject(c) or row.get(c.key) is SUPPRESSED:
                continue
            basis = row.get(c.basis)
            if basis is SUPPRESSED or _small(basis, self.k):
                row[c.key] = SUPPRESSED

    # ---- rule 4 -------------------------------------------------------------------------------

    def sets(self) -> list[_Set]:
        out = []
        if not self.only_restricted:
            groups: dict[str, list[Column]] = {}
            for c in self.columns:
                if c.group and c.kind == "count":
                    groups.setdefault(c.group, []).append(c)
            for line in range(len(self.lines)):
                for members in groups.values():
                    within = members[0].within
                    out.append(
                        _Set(
                            parts=[(line, c.key) for c in members],
                            total=(line, within) if within else None,
                            counts=True,
                        )
                    )
        if not self.table.shows_totals:  # the table is its own total: no column to add up
            return out
        summed = [
            c
            for c in self.columns
            if self._subject(c) and c.kind in ("count", "amount") and not c.dimension
        ]
        for lines, total in self._partitions():
            for c in summed:
                out.append(
                    _Set(
                        parts=[(line, c.key) for line in lines],
                        total=(total, c.key) if total is not None else None,
                        counts=c.kind == "count",
                    )
                )
        return out

    def _partitions(self) -> list[tuple[list[int], int | None]]:
        """The rows that add up to each totals line: all of them, or those of its currency."""
        rows = list(range(self.n_rows))
        totals = list(range(self.n_rows, len(self.lines)))
        if not any(c.key == "currency" for c in self.columns):
            return [(rows, totals[0] if totals else None)]
        out = []
        currencies = []
        for line in rows + totals:
            currency = self.lines[line].get("currency", "")
            if currency not in currencies:
                currencies.append(currency)
        for currency in currencies:
            mine = [r for r in rows if self.lines[r].get("currency", "") == currency]
            total = next((t for t in totals if self.lines[t].get("currency", "") == currency), None)
            out.append((mine, total))
        return out

    def _exposed(self, s: _Set) -> bool:
        cells = s.parts + ([s.total] if s.total else [])
        hidden = [c for c in cells if self.get(c) is SUPPRESSED]
        if not hidden:
            return False
        if len(hidden) == 1:
            return True
        if not s.counts or s.total is None or not _is_count(self.get(s.total)):
            return False
        shown = sum(self.get(c) for c in s.parts if _is_count(self.get(c)))
        rest = self.get(s.total) - shown  # what the suppressed parts add up to (at most)
        # under k together, or ones only (a suppressed count is at least 1: zero is shown)
        return 0 < rest < self.k or rest == len(hidden)

    def _known_zero(self, cell) -> bool:
        """A zero that the row tells anyway (its returnees, or the count it is a share of, are
        zero): suppressing it would hide nothing."""
        line, key = cell
        column = next(c for c in self.columns if c.key == key)
        for other in (column.basis, column.within):
            if other and self.lines[line].get(other) == 0:
                return True
        return False

    def _candidate(self, s: _Set):
        """The smallest non-zero cell of the set still shown; when there is none, a zero that
        is not known anyway (else the one suppressed cell would be the total minus zeros)."""
        shown = [c for c in s.parts if _is_figure(self.get(c))]
        non_zero = [c for c in shown if self.get(c) != 0]
        if not non_zero:
            non_zero = [c for c in shown if not self._known_zero(c)]
        if not non_zero:
            return None
        return min(non_zero, key=lambda c: (self.get(c), c[0]))

    def complementary(self) -> None:
        sets = self.sets()
        changed = True
        while changed:
            changed = False
            for s in sets:
                if not self._exposed(s):
                    continue
                cell = self._candidate(s)
                if cell is None:
                    continue
                self.hide(cell)
                self.follow(cell[0])
                changed = True

    def result(self) -> IndicatorTable:
        rows, totals = self.lines[: self.n_rows], self.lines[self.n_rows :]
        return replace(self.table, rows=rows, totals=totals)


def _run(table: IndicatorTable, k: int, *, only_restricted: bool) -> IndicatorTable:
    grid = _Grid(table, k, only_restricted=only_restricted)
    grid.primary()
    grid.complementary()
    return grid.result()


def suppress(table: IndicatorTable, k: int | None = None) -> IndicatorTable:
    """A copy of `table` with every small cell suppressed, and what would give one away
    (rules 1 to 4): what the HXL file and the donor report hold."""
    k = min_cell() if k is None else k
    return _run(table, k, only_restricted=False)


def suppress_restricted(table: IndicatorTable, k: int | None = None) -> IndicatorTable:
    """A copy of `table` with the restricted columns suppressed (rules 1, 2 and 4 on them): what
    every output shows."""
    k = min_cell() if k is None else k
    if not any(c.restricted for c in table.columns):
        return table
    return _run(table, k, only_restricted=True)
