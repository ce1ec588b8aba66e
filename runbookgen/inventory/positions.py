"""Where each value of the inventory was written, looked up by path when a finding needs it.

A large inventory has hundreds of thousands of positions (every key and value of 10,000 complete
runbooks: about 470,000), and a run needs a handful of them: one per finding. So the model does not
copy them out per alert: an alert's ``positions`` is a view (``AlertPositions``) onto the one table
the loader made (``PositionTable``), and a lookup costs one dictionary access.

Kept between runs (``inventory.kept``), the table is written as ``marshal`` data (the paths, and one
array of numbers for their files, lines and columns: at 10,000 complete runbooks about 0.35 CPU s
where pickling one ``Position`` per path took 1.4 s) and decoded only when the first position is
looked up: a rerun that finds nothing decodes nothing.
"""

from __future__ import annotations

import array
import marshal
from operator import itemgetter

from runbookgen.problems import Position

_FILE, _LINE, _COL = itemgetter(0), itemgetter(1), itemgetter(2)  # of a Position


class PositionTable:
    """path (keys and list indexes) -> ``Position``, shared by every model object of one inventory."""

    __slots__ = ("_table", "_packed")

    def __init__(self, table=None, packed: tuple | None = None):
        self._table = table if table is not None or packed is not None else {}
        self._packed = packed

    def get(self, path: tuple, default=None):
        table = self._table if self._table is not None else self._unpack()
        found = table.get(path)
        return default if found is None else found

    def items(self):
        table = self._table if self._table is not None else self._unpack()
        return table.items()

    def _unpack(self) -> dict:
        paths, files, places = self._packed
        self._table = {path: Position(files[places[3 * n]], places[3 * n + 1], places[3 * n + 2])
                       for n, path in enumerate(paths)}
        self._packed = None
        return self._table

    def packed(self) -> bytes:
        """The table as marshal data: the paths, the file names, and (file number, line, column) of each path
        as one array of numbers. ValueError for a path marshal cannot hold (the loader's paths hold strings,
        numbers, booleans and None)."""
        if self._packed is not None:
            paths, files, places = self._packed
            return marshal.dumps((paths, files, places.tobytes()))
        values = tuple(self._table.values())
        files = dict.fromkeys(map(_FILE, values))  # each file once, in the order first seen
        numbers = {file: n for n, file in enumerate(files)}
        places = array.array("I", bytes(12 * len(values)))  # (file number, line, column) per path, interleaved
        places[0::3] = array.array("I", map(numbers.__getitem__, map(_FILE, values)))
        places[1::3] = array.array("I", map(_LINE, values))
        places[2::3] = array.array("I", map(_COL, values))
        return marshal.dumps((tuple(self._table), tuple(files), places.tobytes()))

    def __reduce__(self):
        return (_unpacked, (self.packed(),))


def _unpacked(packed: bytes) -> PositionTable:
    """A kept table, its shape checked now (while the kept inventory is read, where any error means "load it
    again"), its positions made when the first one is looked up."""
    if not isinstance(packed, bytes):
        raise TypeError("a kept position table is marshal data")
    paths, files, numbers = marshal.loads(packed)
    places = array.array("I")
    places.frombytes(numbers)
    if not (isinstance(paths, tuple) and isinstance(files, tuple) and len(places) == 3 * len(paths)
            and all(isinstance(f, str) for f in files) and (not places or max(places[::3]) < len(files))):
        raise ValueError("a kept position table of the wrong shape")
    return PositionTable(packed=(paths, files, places))


class PositionsView:
    """Positions looked up by the path below one model object; equal when they hold the same positions."""

    __slots__ = ()

    def get(self, keys: tuple, default=None):
        raise NotImplementedError

    def items(self):
        raise NotImplementedError

    def __contains__(self, keys) -> bool:
        return self.get(keys) is not None

    def __getitem__(self, keys: tuple) -> Position:
        found = self.get(keys)
        if found is None:
            raise KeyError(keys)
        return found

    def moved(self, lines: int, files: tuple[str, str] | None = None) -> MovedPositions:
        """These positions ``lines`` lower, those in ``files[0]`` named ``files[1]`` (see ``inventory.moved``)."""
        return MovedPositions(self, lines, files)

    def __eq__(self, other) -> bool:
        if isinstance(other, PositionsView):
            return sorted(self.items(), key=repr) == sorted(other.items(), key=repr)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class AlertPositions(PositionsView):
    """The positions inside one alert, keyed by the path below it: ``("queries", 0, "expr")``."""

    __slots__ = ("table", "prefix")

    def __init__(self, table: PositionTable, prefix: tuple):
        self.table, self.prefix = table, prefix

    def get(self, keys: tuple, default=None):
        return self.table.get(self.prefix + keys, default)

    def items(self):
        """Every (path below the alert, position): a walk over the whole table, for tests and tools, not lint."""
        size = len(self.prefix)
        return [(path[size:], place) for path, place in self.table.items()
                if len(path) > size and path[:size] == self.prefix]

    def __reduce__(self):
        return (AlertPositions, (self.table, self.prefix))


class MovedPositions(PositionsView):
    """Another view's positions, moved when they are looked up: an alert that ``serve``'s reload read from an
    excerpt, or that an edit above it moved down or up. Moves add up; the view below is never copied."""

    __slots__ = ("base", "lines", "renames")

    def __init__(self, base: PositionsView, lines: int, files: tuple[str, str] | None = None, renames: tuple = ()):
        if isinstance(base, MovedPositions):
            lines, renames, base = base.lines + lines, base.renames, base.base
        self.base, self.lines = base, lines
        self.renames = renames + ((files,) if files else ())

    def _move(self, place: Position) -> Position:
        file = place.file
        for old, new in self.renames:
            file = new if file == old else file
        return Position(file, place.line + self.lines, place.col)

    def get(self, keys: tuple, default=None):
        found = self.base.get(keys)
        return default if found is None else self._move(found)

    def items(self):
        return [(keys, self._move(place)) for keys, place in self.base.items()]

    def __reduce__(self):
        return (MovedPositions, (self.base, self.lines, None, self.renames))
