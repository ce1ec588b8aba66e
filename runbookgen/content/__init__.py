"""Inventory and rule-file text as data, between the stage that places it and the engine that shows it.

``opaque`` carries each value past Markdown and every plugin as a placeholder (the generate stage
registers values, the engine swaps them back in); ``html_safety`` judges HTML for anything that could
run script; ``links`` reads link targets the way a browser does. Both generate/ and engine/ import this
package; it imports neither.
"""
