"""The one place that reads YAML: every inventory, rule file and annotated file goes through here.

Modules:

- ``files``: a file's text (regular files only, size limit, UTF-8, BOM, NUL and UTF-16 refused).
- ``events``: the event source (libyaml's ``CSafeLoader``, PyYAML's pure-Python parser where libyaml is
  missing) and the one error type, ``YamlError``, with the one wording of syntax and character errors.
- ``limits``: the bounds every reader keeps (file size, nesting depth, values aliases add, events).
- ``scalars``: YAML 1.1 scalar resolution as PyYAML's SafeLoader does it, and unsupported tags.
- ``build``: the event-driven value builder's entry, ``read_documents(text, file, typed=...)``.
  ``typed=True`` gives typed scalars with a table of positions per path (the inventory, its loop in
  ``typed_values``); ``typed=False`` gives strings in ``PosMap``/``PosList`` that carry their positions
  (rule files, as Prometheus reads them, its loop in ``string_values``). ``values`` describes what
  both give. Both keep anchors, aliases, ``<<`` merge keys, duplicate keys, recursive aliases, alias
  bombs and depth by the same rules, in ``aliases``, with the same limits and the same errors.
- ``document``: the inventory's view of a file, ``YamlDocument`` (data, positions, problems, digest).
- ``layout``: how a place inside a string scalar maps back to the file.
- ``tree``: annotate's tree of nodes with character offsets and styles, for editing text in place.

The position convention: every line and column this package gives out counts from 1, as
``problems.Position`` does (``file:line:col``). Tables and problems hold ``Position`` values; the
containers of rule files hold ``(line, col)`` pairs, their file being the one read. libyaml's marks
count from 0; they are converted where an event is read, nowhere else. The only other coordinates are
the tree's character offsets (``Node.start``/``Node.end``), indexes into the text for slicing it.
"""
