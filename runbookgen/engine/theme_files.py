"""The theme's static files, listed once per process: listing Material's folders (some 2,000 files, icons
mostly) and matching each name against mkdocs' exclusion patterns took 0.2 - 0.6 s of every rebuild in
``serve``, for folders an installed package never changes.

mkdocs lists them through the theme's Jinja environment (``Files.add_files_from_theme``). The environment of
each build is made to answer from what an earlier build of this process found for the same folders and the
same static templates, when every folder belongs to an installed package (mkdocs' or Material's); a folder
of the user's (``custom_dir``) is listed on every build.
"""

from __future__ import annotations

import os

import jinja2

_INSTALLED = tuple(os.path.dirname(os.path.realpath(__import__(name).__file__)) + os.sep
                   for name in ("mkdocs", "material"))
_LISTED: dict[tuple, list[str]] = {}


def keep_theme_listing(theme) -> None:
    """Make ``theme.get_env()`` give environments whose file listing is kept (see the module's docstring)."""
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        loader = env.loader
        if isinstance(loader, jinja2.FileSystemLoader) and all(_installed(p) for p in loader.searchpath):
            env.list_templates = _kept(env.list_templates, tuple(loader.searchpath), theme)
        return env

    theme.get_env = get_env


def _installed(path) -> bool:
    return (os.path.realpath(path) + os.sep).startswith(_INSTALLED)


def _kept(list_templates, folders: tuple, theme):
    def listed(extensions=None, filter_func=None):
        if extensions is not None:
            return list_templates(extensions, filter_func)
        # mkdocs' filter depends on the static templates only (and on fixed patterns)
        key = (folders, tuple(sorted(theme.static_templates)), filter_func is None)
        found = _LISTED.get(key)
        if found is None:
            found = _LISTED[key] = list_templates(extensions, filter_func)
        return list(found)
    return listed
